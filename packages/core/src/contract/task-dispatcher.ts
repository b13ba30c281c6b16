import type { SignalDefinition } from './define-signal.js';
import type { TaskDefinition } from './define-task.js';
import type { PayloadOf } from './payload-class.js';

/**
 * Proof that a task was stored in the queue.
 *
 * @example
 * ```ts
 * const { taskId, statusUrl } = await dispatcher.dispatch(submitOrder, payload);
 * ```
 */
export interface TaskReceipt {
  readonly taskId: string;
  /** Relative URL of the task's status on the API host: `/tasks/<taskId>`. */
  readonly statusUrl: string;
}

/**
 * Options of {@link TaskDispatcher.dispatch}.
 *
 * @example
 * ```ts
 * await dispatcher.dispatch(submitOrder, payload, { idempotencyKey: req.headers['idempotency-key'] });
 * ```
 */
export interface DispatchOptions {
  /**
   * The same key for the same task always yields the same task id: the second dispatch
   * stores nothing and returns the same receipt.
   */
  idempotencyKey?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /**
   * Groups the task with others about the same thing (`order-<id>`), so they can be
   * listed together with {@link TaskStatusReader.listByCorrelation}. Handler tasks
   * started by signals this task emits inherit it.
   */
  correlationId?: string;
}

/**
 * Options of {@link TaskDispatcher.emit}.
 *
 * @example
 * ```ts
 * await dispatcher.emit(paymentCaptured, payload, { key: event.id, correlationId: `order-${orderId}` });
 * ```
 */
export interface SignalEmitOptions {
  /** Emitting again with the same key stores nothing: the handlers run once. */
  key?: string;
  /** See {@link DispatchOptions.correlationId}. */
  correlationId?: string;
}

/**
 * Sends work to the queue. Inject it (the class is its own DI token) in controllers
 * and providers. Both methods validate the payload first and resolve only once the
 * queue has stored every job; they reject with `PayloadValidationError` (answered
 * 400) or `QueueUnavailableError` (answered 503).
 *
 * @example
 * ```ts
 * @Controller('orders')
 * export class OrdersController {
 *   constructor(private readonly dispatcher: TaskDispatcher) {}
 *   @Post() submit(@Body() body: SubmitOrderPayload) {
 *     return this.dispatcher.dispatch(submitOrder, body);
 *   }
 * }
 * ```
 */
export abstract class TaskDispatcher {
  abstract dispatch<P extends object>(
    task: TaskDefinition<P, unknown>,
    payload: PayloadOf<P>,
    options?: DispatchOptions,
  ): Promise<TaskReceipt>;

  /**
   * Emits a signal from outside a task (a webhook, say): one job per subscribed handler.
   */
  abstract emit<S extends object>(
    signal: SignalDefinition<S>,
    payload: PayloadOf<S>,
    options?: SignalEmitOptions,
  ): Promise<readonly TaskReceipt[]>;
}
