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
