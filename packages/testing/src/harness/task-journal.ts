import type { DeferralReason, ObservedJob, TaskObserver } from '@coordinator/core/runtime';

/**
 * One thing that happened to a task or signal, in order.
 *
 * @example
 * ```ts
 * const entry: JournalEntry = { at: Date.now(), type: 'completed', task: 'orders.submit', taskId, attempt: 1 };
 * ```
 */
export type JournalEntry =
  | { at: number; type: 'dispatched'; task: string; taskId: string }
  | { at: number; type: 'started'; task: string; taskId: string; attempt: number }
  | { at: number; type: 'completed'; task: string; taskId: string; attempt: number; result: unknown }
  | { at: number; type: 'failed'; task: string; taskId: string; attempt: number; reason: string; willRetry: boolean }
  | {
      at: number;
      type: 'deferred';
      task: string;
      taskId: string;
      attempt: number;
      reason: DeferralReason;
      delayMs: number;
    }
  | { at: number; type: 'signal'; signal: string; fromTaskId?: string; taskIds: readonly string[] };

/**
 * Records every task and signal event of a test coordinator, so a test can assert on
 * what ran, how often, and in which order, the same way in inline and Redis mode.
 *
 * @example
 * ```ts
 * expect(coordinator.journal.completed('orders.submit')).toHaveLength(1);
 * expect(coordinator.journal.signals('order.placed')[0]?.taskIds).toHaveLength(1);
 * ```
 */
export class TaskJournal implements TaskObserver {
  readonly entries: JournalEntry[] = [];

  taskDispatched(taskId: string, task: string): void {
    this.entries.push({ at: Date.now(), type: 'dispatched', task, taskId });
  }
  taskStarted(job: ObservedJob): void {
    this.entries.push({ at: Date.now(), type: 'started', task: job.task, taskId: job.taskId, attempt: job.attempt });
  }
  taskCompleted(job: ObservedJob, result: unknown): void {
    this.entries.push({
      at: Date.now(),
      type: 'completed',
      task: job.task,
      taskId: job.taskId,
      attempt: job.attempt,
      result,
    });
  }
  taskFailed(job: ObservedJob, reason: string, willRetry: boolean): void {
    this.entries.push({
      at: Date.now(),
      type: 'failed',
      task: job.task,
      taskId: job.taskId,
      attempt: job.attempt,
      reason,
      willRetry,
    });
  }
  taskDeferred(job: ObservedJob, reason: DeferralReason, delayMs: number): void {
    this.entries.push({
      at: Date.now(),
      type: 'deferred',
      task: job.task,
      taskId: job.taskId,
      attempt: job.attempt,
      reason,
      delayMs,
    });
  }
  signalEmitted(signal: string, fromTaskId: string | undefined, taskIds: readonly string[]): void {
    this.entries.push({ at: Date.now(), type: 'signal', signal, fromTaskId, taskIds });
  }

  /** Runs of `task` that started (every attempt). */
  started(task: string): Extract<JournalEntry, { type: 'started' }>[] {
    return this.entries.filter(
      (e): e is Extract<JournalEntry, { type: 'started' }> => e.type === 'started' && e.task === task,
    );
  }
  completed(task: string): Extract<JournalEntry, { type: 'completed' }>[] {
    return this.entries.filter(
      (e): e is Extract<JournalEntry, { type: 'completed' }> => e.type === 'completed' && e.task === task,
    );
  }
  failed(task: string): Extract<JournalEntry, { type: 'failed' }>[] {
    return this.entries.filter(
      (e): e is Extract<JournalEntry, { type: 'failed' }> => e.type === 'failed' && e.task === task,
    );
  }
  /** Jobs of `task` put back for later without spending an attempt (open circuit, newer schema). */
  deferred(task: string): Extract<JournalEntry, { type: 'deferred' }>[] {
    return this.entries.filter(
      (e): e is Extract<JournalEntry, { type: 'deferred' }> => e.type === 'deferred' && e.task === task,
    );
  }
  signals(signal: string): Extract<JournalEntry, { type: 'signal' }>[] {
    return this.entries.filter(
      (e): e is Extract<JournalEntry, { type: 'signal' }> => e.type === 'signal' && e.signal === signal,
    );
  }
  clear(): void {
    this.entries.length = 0;
  }
}
