import { DOWNSTREAM_BRAND } from './contract-version.js';

/**
 * When a downstream's circuit breaker opens and how long it stays open.
 *
 * @example
 * ```ts
 * const breaker: BreakerPolicy = { consecutiveFailures: 5, halfOpenAfterMs: 10_000 };
 * ```
 */
export interface BreakerPolicy {
  /** Failed calls in a row (see `TaskContext.call` for what counts) that open the circuit. */
  consecutiveFailures: number;
  /** How long the circuit stays open before one trial call may go through (half-open). */
  halfOpenAfterMs: number;
}

/**
 * How many calls one worker host makes to a downstream at once, and how many more wait
 * for a free slot. The limit is per worker host: the service sees up to
 * `maxConcurrent` × the number of worker hosts.
 *
 * @example
 * ```ts
 * const bulkhead: BulkheadPolicy = { maxConcurrent: 10, maxQueued: 10 };
 * ```
 */
export interface BulkheadPolicy {
  /** Calls in flight at once, per worker host. */
  maxConcurrent: number;
  /** Calls waiting for a slot, per worker host; a call beyond them defers its job. */
  maxQueued: number;
}

/**
 * Breaker used where a downstream does not set one: 5 failures in a row, a trial after 10 s.
 *
 * @example
 * ```ts
 * defineDownstream({ name: 'fulfilment', breaker: { ...DEFAULT_BREAKER_POLICY, halfOpenAfterMs: 30_000 } });
 * ```
 */
export const DEFAULT_BREAKER_POLICY: Readonly<BreakerPolicy> = Object.freeze({
  consecutiveFailures: 5,
  halfOpenAfterMs: 10_000,
});

/**
 * Calls in flight per worker host where a downstream does not set `maxConcurrent`;
 * `maxQueued` defaults to `maxConcurrent`.
 *
 * @example
 * ```ts
 * defineDownstream({ name: 'fulfilment', bulkhead: { maxConcurrent: DEFAULT_MAX_CONCURRENT * 2 } });
 * ```
 */
export const DEFAULT_MAX_CONCURRENT = 10;

/**
 * What an extension author writes; see {@link defineDownstream}.
 *
 * @example
 * ```ts
 * const spec: DownstreamSpec = { name: 'order-management', breaker: { halfOpenAfterMs: 5_000 } };
 * ```
 */
export interface DownstreamSpec {
  /** The service, in kebab-case (`order-management`); names its breaker in logs and metrics. */
  name: string;
  /** What is left out is {@link DEFAULT_BREAKER_POLICY}'s. */
  breaker?: Partial<BreakerPolicy>;
  /** `maxConcurrent` defaults to {@link DEFAULT_MAX_CONCURRENT}, `maxQueued` to `maxConcurrent`. */
  bulkhead?: Partial<BulkheadPolicy>;
}

/**
 * A downstream service as the hosts see it: plain, frozen and branded. Tasks list it in
 * `downstreams` and call it through `ctx.call(downstream, fn)`.
 *
 * @example
 * ```ts
 * const d: DownstreamDefinition = orderManagement;
 * d.breaker.consecutiveFailures; // 5
 * ```
 */
export interface DownstreamDefinition {
  readonly [DOWNSTREAM_BRAND]: true;
  /** Kebab-case, unique across the loaded extensions; labels its logs and metrics. */
  readonly name: string;
  /** With every default filled in. */
  readonly breaker: Readonly<BreakerPolicy>;
  /** With every default filled in. */
  readonly bulkhead: Readonly<BulkheadPolicy>;
}

const DOWNSTREAM_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Declares a downstream service that tasks call: its circuit breaker (opens after
 * `consecutiveFailures` failed calls in a row, lets one trial call through
 * `halfOpenAfterMs` later) and its bulkhead (at most `maxConcurrent` calls in flight and
 * `maxQueued` waiting, per worker host). While the circuit is open, jobs of the tasks
 * that declare it are put back with a delay instead of failing: no attempt is spent.
 *
 * @example
 * ```ts
 * export const orderManagement = defineDownstream({
 *   name: 'order-management',
 *   breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
 *   bulkhead: { maxConcurrent: 10 },
 * });
 * export const submitOrder = defineTask({ name: 'orders.submit', downstreams: [orderManagement], … });
 * ```
 */
export function defineDownstream(spec: DownstreamSpec): DownstreamDefinition {
  if (typeof spec.name !== 'string' || !DOWNSTREAM_NAME.test(spec.name)) {
    throw new TypeError(`downstream name "${String(spec.name)}" must be kebab-case, like "order-management"`);
  }
  const breaker = Object.freeze({ ...DEFAULT_BREAKER_POLICY, ...defined(spec.breaker) });
  const maxConcurrent = spec.bulkhead?.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  const bulkhead = Object.freeze({ maxConcurrent, maxQueued: spec.bulkhead?.maxQueued ?? maxConcurrent });
  const check = (field: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`downstream ${spec.name}: ${field} must be an integer >= ${min}, not ${String(value)}`);
    }
  };
  check('breaker.consecutiveFailures', breaker.consecutiveFailures, 1);
  check('breaker.halfOpenAfterMs', breaker.halfOpenAfterMs, 1);
  check('bulkhead.maxConcurrent', bulkhead.maxConcurrent, 1);
  check('bulkhead.maxQueued', bulkhead.maxQueued, 0);
  return Object.freeze({ [DOWNSTREAM_BRAND]: true as const, name: spec.name, breaker, bulkhead });
}

/**
 * True when `value` is a downstream made by {@link defineDownstream} (from any copy of core).
 *
 * @example
 * ```ts
 * if (!isDownstreamDefinition(value)) throw new TypeError('not a downstream');
 * ```
 */
export function isDownstreamDefinition(value: unknown): value is DownstreamDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DOWNSTREAM_BRAND] === true;
}

/** The fields that are not `undefined`, so `{ halfOpenAfterMs: undefined }` keeps the default. */
function defined<T extends object>(partial: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(partial ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
