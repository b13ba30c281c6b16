import type { DownstreamDefinition } from './define-downstream.js';
import type { SignalDefinition } from './define-signal.js';
import type { TaskDefinition } from './define-task.js';
import type { TaskReceipt } from './task-dispatcher.js';
import type { PayloadOf } from './payload-class.js';

/**
 * The logger a handler receives, already bound to the task name, job id and attempt.
 *
 * @example
 * ```ts
 * ctx.logger.log('order submitted', { omsId });
 * ```
 */
export interface TaskLogger {
  log(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
  debug(message: string, details?: Record<string, unknown>): void;
}

/**
 * Options of {@link TaskContext.emit}.
 *
 * @example
 * ```ts
 * await ctx.emit(lineShipped, payload, { key: line.sku });
 * ```
 */
export interface EmitOptions {
  /**
   * Distinguishes several emissions of the same signal by one task run. The handler
   * jobs' ids derive from the emitting task's id, the signal and this key, so a retried
   * task that emits again does not start the handlers a second time.
   */
  key?: string;
}

/**
 * Options of {@link TaskContext.dispatch}.
 *
 * @example
 * ```ts
 * await ctx.dispatch(capturePayment, { orderId, paymentIntentId }, { key: paymentIntentId });
 * ```
 */
export interface FollowUpOptions {
  /** Distinguishes several follow-ups of the same task by one run. */
  key?: string;
  delayMs?: number;
}

/**
 * What a running task knows about itself, handed to {@link TaskHandler.run}.
 *
 * @example
 * ```ts
 * async run(payload: SubmitOrderPayload, ctx: TaskContext) {
 *   await fetch(url, { signal: ctx.signal, headers: { 'Idempotency-Key': ctx.idempotencyKey } });
 *   await ctx.emit(orderPlaced, { orderId: payload.orderId });
 * }
 * ```
 */
export interface TaskContext {
  /** The task id (stable across attempts), as returned by `dispatch()`. */
  readonly taskId: string;
  readonly taskName: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  readonly attempt: number;
  /** Attempts the task may use in total. */
  readonly maxAttempts: number;
  /**
   * A key that is the same on every attempt of this task and different for every task:
   * pass it (or a key derived from it) to downstream services so a retry never
   * causes a second effect.
   */
  readonly idempotencyKey: string;
  /** Fires when the task's `timeoutMs` is reached or the worker shuts down. */
  readonly signal: AbortSignal;
  readonly logger: TaskLogger;
  /** Emits a signal: one job per subscribed handler, enqueued before this resolves. */
  emit<S extends object>(signal: SignalDefinition<S>, payload: PayloadOf<S>, options?: EmitOptions): Promise<void>;
  /**
   * Dispatches a follow-up task of this extension, so each downstream effect gets its
   * own retries. Its id derives from this task and `key`: a retried run does not
   * dispatch it twice. It inherits this task's correlation id.
   */
  dispatch<P extends object>(
    task: TaskDefinition<P, unknown>,
    payload: PayloadOf<P>,
    options?: FollowUpOptions,
  ): Promise<TaskReceipt>;
  /**
   * Calls a downstream service the task declares (`defineTask({ downstreams })`) through
   * that service's bulkhead and circuit breaker, handing `fn` the task's AbortSignal
   * (combine it with a per-request timeout). What `fn` throws passes through, and counts
   * for the breaker as follows:
   * - a `PermanentError` counts as a success: the service answered, the request
   *   was at fault (a 4xx);
   * - an error while the task's signal has fired (its timeout, or the worker shutting
   *   down) does not count at all: the call was cut short by us, not by the service;
   * - any other error is a failure; `consecutiveFailures` of them in a row open the circuit.
   *
   * While the circuit is open, or its one half-open trial call is in flight, or the
   * bulkhead's queue is full, `call` does not run `fn`: it throws a deferral that puts
   * the job back for later without spending an attempt: let it propagate (a handler that
   * catches it and throws an error of its own turns it into a failed attempt). Calling a
   * downstream the task does not declare fails the task with a `PermanentError`.
   *
   * @example
   * ```ts
   * const response = await ctx.call(orderManagement, (signal) =>
   *   fetch(url, { method: 'POST', body, signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) }),
   * );
   * ```
   */
  call<T>(downstream: DownstreamDefinition, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/**
 * The code of a task. Implement it on an `@Injectable()` class: it is created by the
 * worker host's dependency injection (never by the API host) and may inject the
 * extension's providers.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class SubmitOrderHandler implements TaskHandler<SubmitOrderPayload, { omsId: string }> {
 *   constructor(private readonly oms: OmsClient) {}
 *   run(payload: SubmitOrderPayload, ctx: TaskContext) {
 *     return this.oms.create(payload, ctx);
 *   }
 * }
 * ```
 */
export interface TaskHandler<P extends object, R = unknown> {
  run(payload: P, ctx: TaskContext): Promise<R>;
}
