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
    const reading = this.ensureRoom(queues);
    if (reading) await reading;
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
    const reading = this.ensureRoom(queues);
    if (reading) await reading;
    const receipts = await this.inner.emit(signal, payload, options);
    this.recordAdded(queues);
    return receipts;
  }

  /**
   * Throws {@link QueueFullError} when a queue has no room for its jobs. Counts read within their
   * age are checked at once; a promise is returned only when one must be read from Redis first
   * (most requests make none: each promise costs every AsyncLocalStorage's hooks).
   */
  private ensureRoom(queues: readonly string[]): Promise<void> | undefined {
    const jobs = new Map<string, number>();
    for (const queue of queues) jobs.set(queue, (jobs.get(queue) ?? 0) + 1);
    let unread: { queue: string; count: number; cap: number }[] | undefined; // made only when a count is stale
    // Every known count is checked before any read starts, so a full queue throws here without
    // leaving a read's promise to reject unhandled.
    for (const [queue, count] of jobs) {
      const cap = this.caps.of(queue);
      if (cap === undefined) continue;
      const known = this.waiting.peek(queue);
      if (known) assertRoom(queue, known.count, count, cap);
      else (unread ??= []).push({ queue, count, cap });
    }
    if (unread === undefined) return undefined;
    return Promise.all(
      unread.map(async ({ queue, count, cap }) => assertRoom(queue, await this.waiting.get(queue), count, cap)),
    ).then(() => undefined);
  }

  private recordAdded(queues: readonly string[]): void {
    // A repeated idempotent dispatch stores nothing but is counted too: the next read corrects it.
    for (const queue of queues) if (this.caps.of(queue) !== undefined) this.waiting.added(queue);
  }
}

/** Unknown means Redis did not answer in time: the store itself then fails with 503. */
function assertRoom(queue: string, waiting: number | undefined, jobs: number, cap: number): void {
  if (waiting !== undefined && waiting + jobs > cap) throw new QueueFullError(queue, waiting, cap);
}
