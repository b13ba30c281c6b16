import type { TaskStatusReader } from '../contract/task-status.js';
import type { QueueDispatcher } from './queue-dispatcher.js';

/**
 * The queue as a host sees it: where dispatches go, where statuses come from, and
 * whether it is reachable. {@link BullMqTransport} is the production one;
 * {@link InlineTransport} runs tasks in-process for tests.
 */
export interface TaskTransport {
  readonly kind: 'bullmq' | 'inline';
  readonly dispatcher: QueueDispatcher;
  readonly status: TaskStatusReader;
  /** Resolves when the queue answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
