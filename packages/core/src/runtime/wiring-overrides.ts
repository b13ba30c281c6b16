/**
 * Deployment overrides of the signal → handler wiring, keyed by handler id
 * (`<signal>-><task>`). Read from `COORDINATOR_WIRING` as JSON, e.g.
 * `{"payment.captured->orders.fulfil": {"enabled": false}}` or
 * `{"order.placed->payments.create-intent": {"queue": "payments-priority"}}`.
 */
export interface HandlerOverride {
  /** Turn a handler off (or on, when the extension ships it disabled). */
  enabled?: boolean;
  /** Send the handler's jobs to another queue, served by its own worker hosts. */
  queue?: string;
}

export type WiringOverrides = Readonly<Record<string, HandlerOverride>>;

const QUEUE_NAME = /^[a-z][a-z0-9-]*$/;

/** Parses `COORDINATOR_WIRING`; throws a message naming the variable and the problem. */
export function parseWiringOverrides(raw: string | undefined): WiringOverrides {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`COORDINATOR_WIRING is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('COORDINATOR_WIRING must be a JSON object keyed by handler id ("<signal>-><task>")');
  }
  const result: Record<string, HandlerOverride> = {};
  for (const [id, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null) {
      throw new Error(`COORDINATOR_WIRING["${id}"] must be an object like {"enabled": false}`);
    }
    const { enabled, queue, ...rest } = value as Record<string, unknown>;
    const unknownKeys = Object.keys(rest);
    if (unknownKeys.length) throw new Error(`COORDINATOR_WIRING["${id}"] has unknown keys: ${unknownKeys.join(', ')}`);
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      throw new Error(`COORDINATOR_WIRING["${id}"].enabled must be true or false`);
    }
    if (queue !== undefined && (typeof queue !== 'string' || !QUEUE_NAME.test(queue))) {
      throw new Error(`COORDINATOR_WIRING["${id}"].queue must be a lower-case queue name`);
    }
    result[id] = { enabled: enabled as boolean | undefined, queue: queue as string | undefined };
  }
  return result;
}
