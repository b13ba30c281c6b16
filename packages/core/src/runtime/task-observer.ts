import type { DeferralReason } from './job-deferral.js';
import type { JobMeta } from './job-envelope.js';

/** A job as observers see it. */
export interface ObservedJob {
  taskId: string;
  task: string;
  attempt: number;
  meta: JobMeta;
}

/**
 * Hooks into a host's task life cycle: the test journal and the demo timeline use
 * them. Observers must not throw and should return quickly.
 */
export interface TaskObserver {
  taskDispatched?(taskId: string, task: string): void;
  taskStarted?(job: ObservedJob): void;
  taskCompleted?(job: ObservedJob, result: unknown): void;
  taskFailed?(job: ObservedJob, reason: string, willRetry: boolean): void;
  /** The job was put back for later without spending an attempt (a `JobDeferral`). */
  taskDeferred?(job: ObservedJob, reason: DeferralReason, delayMs: number): void;
  signalEmitted?(signal: string, fromTaskId: string | undefined, taskIds: readonly string[]): void;
}

/** Fans one event out to many observers, isolating their failures. */
export class ObserverList implements Required<TaskObserver> {
  constructor(private readonly observers: readonly TaskObserver[] = []) {}

  taskDispatched(taskId: string, task: string): void {
    for (const o of this.observers) safe(() => o.taskDispatched?.(taskId, task));
  }
  taskStarted(job: ObservedJob): void {
    for (const o of this.observers) safe(() => o.taskStarted?.(job));
  }
  taskCompleted(job: ObservedJob, result: unknown): void {
    for (const o of this.observers) safe(() => o.taskCompleted?.(job, result));
  }
  taskFailed(job: ObservedJob, reason: string, willRetry: boolean): void {
    for (const o of this.observers) safe(() => o.taskFailed?.(job, reason, willRetry));
  }
  taskDeferred(job: ObservedJob, reason: DeferralReason, delayMs: number): void {
    for (const o of this.observers) safe(() => o.taskDeferred?.(job, reason, delayMs));
  }
  signalEmitted(signal: string, fromTaskId: string | undefined, taskIds: readonly string[]): void {
    for (const o of this.observers) safe(() => o.signalEmitted?.(signal, fromTaskId, taskIds));
  }
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // An observer's bug must never fail a task.
  }
}
