import {
  QueueFullError,
  TaskDispatcher,
  type DispatchOptions,
  type PayloadOf,
  type SignalDefinition,
  type SignalEmitOptions,
  type TaskDefinition,
  type TaskReceipt,
} from '@coordinator/core';
import type { ExtensionRegistry } from '@coordinator/core/runtime';
import type { QueueCaps } from './queue-caps.js';
import type { WaitingCounts } from './waiting-counts.js';

/**
 * The API's dispatcher with a cap on each queue's backlog: when a queue already holds
 * its cap of waiting tasks, `dispatch` and `emit` reject with {@link QueueFullError}
 * (answered 503 with `Retry-After`) and store nothing, instead of filling Redis while
 * the workers are behind or gone.
 *
 * @example
 * ```ts
 * const dispatcher = new BoundedDispatcher(transport.dispatcher, registry, caps, counts);
 * await dispatcher.dispatch(submitOrder, payload); // throws QueueFullError when "orders" is full
 * ```
 */
export class BoundedDispatcher extends TaskDispatcher {
  constructor(
    private readonly inner: TaskDispatcher,
    private readonly registry: ExtensionRegistry,
    private readonly caps: QueueCaps,
    private readonly waiting: WaitingCounts,
  ) {
    super();
  }

  async dispatch<P extends object>(
    task: TaskDefinition<P, unknown>,
    payload: PayloadOf<P>,
    options?: DispatchOptions,
  ): Promise<TaskReceipt> {
    const queues = [this.registry.task(task.name).queue];
    await this.ensureRoom(queues);
    const receipt = await this.inner.dispatch(task, payload, options);
    this.recordAdded(queues);
    return receipt;
  }

  async emit<S extends object>(
    signal: SignalDefinition<S>,
    payload: PayloadOf<S>,
    options?: SignalEmitOptions,
  ): Promise<readonly TaskReceipt[]> {
    // One job per handler, each on its handler's queue: every one of them must have room.
    const queues = this.registry.handlersOf(signal.name).map((handler) => handler.queue);
    await this.ensureRoom(queues);
    const receipts = await this.inner.emit(signal, payload, options);
    this.recordAdded(queues);
    return receipts;
  }

  private async ensureRoom(queues: readonly string[]): Promise<void> {
    const jobs = new Map<string, number>();
    for (const queue of queues) jobs.set(queue, (jobs.get(queue) ?? 0) + 1);
    const checks = [...jobs].map(async ([queue, count]) => {
      const cap = this.caps.of(queue);
      if (cap === undefined) return;
      // Unknown means Redis did not answer in time: the store itself then fails with 503.
      const waiting = await this.waiting.get(queue);
      if (waiting !== undefined && waiting + count > cap) throw new QueueFullError(queue, waiting, cap);
    });
    await Promise.all(checks);
  }

  private recordAdded(queues: readonly string[]): void {
    // A repeated idempotent dispatch stores nothing but is counted too: the next read corrects it.
    for (const queue of queues) if (this.caps.of(queue) !== undefined) this.waiting.added(queue);
  }
}
