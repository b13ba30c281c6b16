import { SettingsError } from '@coordinator/core/runtime';
import type { QueueLimitsSettings } from './queue-limits.settings.js';

const OVERRIDES = 'QUEUE_MAX_WAITING_OVERRIDES';

/**
 * The cap on waiting tasks of each queue, resolved once at startup from
 * {@link QueueLimitsSettings}: the per-queue override when there is one, else `QUEUE_MAX_WAITING`.
 *
 * @example
 * ```ts
 * const caps = QueueCaps.from(loadSettings(QueueLimitsSettings, env), registry.queues());
 * caps.of('payments'); // 5000, or undefined when unbounded
 * ```
 */
export class QueueCaps {
  private constructor(
    private readonly fallback: number,
    private readonly overrides: ReadonlyMap<string, number>,
  ) {}

  /** Throws `SettingsError` naming the variable when the overrides are not JSON caps of loaded queues. */
  static from(settings: QueueLimitsSettings, queues: readonly string[]): QueueCaps {
    return new QueueCaps(settings.QUEUE_MAX_WAITING, parseOverrides(settings.QUEUE_MAX_WAITING_OVERRIDES, queues));
  }

  /** The most tasks that may wait in `queue`, or `undefined` when it is unbounded. */
  of(queue: string): number | undefined {
    const cap = this.overrides.get(queue) ?? this.fallback;
    return cap === 0 ? undefined : cap;
  }

  /** Whether any of `queues` has a cap, i.e. whether counting is worth its Redis reads. */
  boundsAny(queues: readonly string[]): boolean {
    return queues.some((queue) => this.of(queue) !== undefined);
  }
}

function parseOverrides(raw: string | undefined, queues: readonly string[]): Map<string, number> {
  const overrides = new Map<string, number>();
  if (raw === undefined) return overrides;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new SettingsError([`${OVERRIDES} is not valid JSON (${(error as Error).message})`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError([`${OVERRIDES} must be a JSON object of queue names to caps, e.g. {"payments":5000}`]);
  }
  const known = new Set(queues);
  const problems: string[] = [];
  for (const [queue, cap] of Object.entries(parsed)) {
    if (!known.has(queue)) {
      problems.push(
        `${OVERRIDES} names queue "${queue}", which no loaded extension has (queues: ${[...known].join(', ') || 'none'})`,
      );
    } else if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 0) {
      problems.push(
        `${OVERRIDES}: the cap of "${queue}" must be a whole number ≥ 0 (0 = unbounded), got ${JSON.stringify(cap)}`,
      );
    } else {
      overrides.set(queue, cap);
    }
  }
  if (problems.length) throw new SettingsError(problems);
  return overrides;
}
