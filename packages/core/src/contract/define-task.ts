import type { Type } from '@nestjs/common';
import { TASK_BRAND } from './contract-version.js';
import { isDownstreamDefinition, type DownstreamDefinition } from './define-downstream.js';
import type { PayloadClass } from './payload-class.js';
import type { TaskHandler } from './task-context.js';

/**
 * How a failing task is retried. Delays grow as `delayMs * 2^(attempt-1)` for
 * `exponential` backoff, up to `maxDelayMs`; `jitter` spreads them randomly over the
 * lower half so that many tasks failing together do not retry together.
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { attempts: 8, backoff: 'exponential', delayMs: 1000, jitter: true, maxDelayMs: 60_000 };
 * ```
 */
export interface RetryPolicy {
  /** Total runs, the first included. 1 means never retry. */
  attempts: number;
  backoff: 'exponential' | 'fixed';
  delayMs: number;
  /** `true` is 0.5; a number in 0..1 is the share of the delay that is randomised. */
  jitter: boolean | number;
  /** Upper bound of one delay, so a long run of failures keeps retrying at a steady pace. */
  maxDelayMs: number;
}

/** Retry policy used when a task does not declare one. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 5,
  backoff: 'exponential',
  delayMs: 1000,
  jitter: true,
  maxDelayMs: 5 * 60_000,
});

/** Timeout used when a task does not declare one. */
export const DEFAULT_TASK_TIMEOUT_MS = 30_000;

/**
 * What a task author writes; see {@link defineTask}.
 *
 * @example
 * ```ts
 * const spec: TaskSpec<SubmitOrderPayload, unknown> = { name: 'orders.submit', payload: SubmitOrderPayload, handler: SubmitOrderHandler };
 * ```
 */
export interface TaskSpec<P extends object, R> {
  /** `<extension>.<task>`, unique across every loaded extension. */
  name: string;
  payload: PayloadClass<P>;
  handler: Type<TaskHandler<P, R>>;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /**
   * Version of the payload's shape. Raise it when a change is not backwards-compatible,
   * so that workers can tell jobs written by a newer API host.
   */
  schemaVersion?: number;
  /**
   * How long finished jobs stay in Redis. A job's id is also its dispatch idempotency
   * key, so this is how long a repeated key is recognised: raise it for tasks fed by
   * deliveries that may repeat for days (provider webhooks).
   */
  retention?: Partial<TaskRetention>;
  /**
   * The downstream services the handler calls, each through `ctx.call(downstream, fn)`.
   * While one of their circuits is open, the task's jobs wait instead of running.
   */
  downstreams?: readonly DownstreamDefinition[];
}

/**
 * How long a task's finished jobs are kept, in seconds.
 *
 * @example
 * ```ts
 * const retention: TaskRetention = { completedSeconds: 5 * 86_400, failedSeconds: 30 * 86_400 };
 * ```
 */
export interface TaskRetention {
  completedSeconds: number;
  failedSeconds: number;
}

/** Retention used when a task does not declare one: a day for completed, 30 days for failed. */
export const DEFAULT_TASK_RETENTION: Readonly<TaskRetention> = Object.freeze({
  completedSeconds: 24 * 3600,
  failedSeconds: 30 * 24 * 3600,
});

/**
 * A task as the hosts see it: plain, frozen and branded.
 *
 * @example
 * ```ts
 * const t: TaskDefinition<SubmitOrderPayload> = submitOrder;
 * t.retry.attempts; // 8
 * ```
 */
export interface TaskDefinition<P extends object = object, R = unknown> {
  readonly [TASK_BRAND]: true;
  readonly name: string;
  readonly payload: PayloadClass<P>;
  readonly handler: Type<TaskHandler<P, R>>;
  readonly retry: Readonly<RetryPolicy>;
  readonly timeoutMs: number;
  readonly schemaVersion: number;
  readonly retention: Readonly<TaskRetention>;
  /** The downstream services the task calls (`ctx.call`); empty when it declares none. */
  readonly downstreams: readonly DownstreamDefinition[];
}

const TASK_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Declares a background task: its payload DTO (validated when dispatched and again in
 * the worker), its handler, and how it retries and times out. The payload type flows
 * to `dispatcher.dispatch(task, payload)` and to the handler's `run(payload)`.
 *
 * @example
 * ```ts
 * export const submitOrder = defineTask({
 *   name: 'orders.submit',
 *   payload: SubmitOrderPayload,
 *   handler: SubmitOrderHandler,
 *   retry: { attempts: 8, backoff: 'exponential', delayMs: 1000, jitter: true },
 *   timeoutMs: 30_000,
 *   downstreams: [orderManagement],
 * });
 * ```
 */
export function defineTask<P extends object, R>(spec: TaskSpec<P, R>): TaskDefinition<P, R> {
  if (!TASK_NAME.test(spec.name)) {
    throw new TypeError(`task name "${spec.name}" must be namespaced and lower-case, like "orders.submit"`);
  }
  if (typeof spec.payload !== 'function') throw new TypeError(`task ${spec.name}: payload must be a DTO class`);
  if (typeof spec.handler !== 'function') throw new TypeError(`task ${spec.name}: handler must be a class`);
  const retry = Object.freeze({ ...DEFAULT_RETRY_POLICY, ...spec.retry });
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) {
    throw new RangeError(`task ${spec.name}: retry.attempts must be an integer >= 1`);
  }
  const timeoutMs = spec.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError(`task ${spec.name}: timeoutMs must be > 0`);
  const downstreams = spec.downstreams ?? [];
  for (const downstream of downstreams) {
    if (!isDownstreamDefinition(downstream)) {
      throw new TypeError(`task ${spec.name}: downstreams must be made by defineDownstream()`);
    }
  }
  return Object.freeze({
    [TASK_BRAND]: true as const,
    name: spec.name,
    payload: spec.payload,
    handler: spec.handler,
    retry,
    timeoutMs,
    schemaVersion: spec.schemaVersion ?? 1,
    retention: Object.freeze({ ...DEFAULT_TASK_RETENTION, ...spec.retention }),
    downstreams: Object.freeze([...new Set(downstreams)]),
  });
}

/**
 * True when `value` is a task made by {@link defineTask} (from any copy of core).
 *
 * @example
 * ```ts
 * if (!isTaskDefinition(value)) throw new TypeError('not a task');
 * ```
 */
export function isTaskDefinition(value: unknown): value is TaskDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TASK_BRAND] === true;
}
