import { METRICS_PREFIX, type DeferralReason, type ObservedJob, type TaskObserver } from '@coordinator/core/runtime';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Task durations in seconds: downstream calls with timeouts of up to a few minutes. */
export const TASK_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Runs whose end was never observed (a host killed mid-run) are forgotten past this many. */
const MAX_RUNNING = 10_000;

/**
 * The worker host's task metrics, fed by the executor's observer hooks
 * (`createWorkerHost({ observers: [metrics] })`):
 *
 * - `coordinator_tasks_started_total{task}`: attempts started;
 * - `coordinator_tasks_completed_total{task}`;
 * - `coordinator_tasks_failed_total{task,final}`: failed attempts, `final="true"` when
 *   no retry follows (permanent error or last attempt), `"false"` when one is scheduled;
 * - `coordinator_tasks_retried_total{task}`: attempts after the first that this host started;
 * - `coordinator_tasks_deferred_total{task,reason}`: jobs this host put back without
 *   spending an attempt, `reason` `downstream-unavailable` (open breaker) or `schema-ahead`
 *   (written for a newer worker);
 * - `coordinator_task_duration_seconds{task,outcome}`: one attempt's run time, `outcome`
 *   `completed` or `failed`, measured from start to end of the same task id and attempt.
 *
 * @example
 * ```ts
 * const metrics = new TaskRunMetrics(register, ['orders.submit']);
 * ```
 */
export class TaskRunMetrics implements TaskObserver {
  private readonly started: Counter<'task'>;
  private readonly completed: Counter<'task'>;
  private readonly failed: Counter<'task' | 'final'>;
  private readonly retried: Counter<'task'>;
  private readonly deferred: Counter<'task' | 'reason'>;
  private readonly duration: Histogram<'task' | 'outcome'>;
  private readonly running = new Map<string, number>();

  /** `tasks` (those of the served queues) start at 0, so rates exist before their first run. */
  constructor(
    register: Registry,
    tasks: readonly string[] = [],
    private readonly now: () => number = () => performance.now(),
  ) {
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name: `${METRICS_PREFIX}${name}`, help, labelNames, registers: [register] });
    this.started = counter('tasks_started_total', 'Task attempts this worker host started', ['task']);
    this.completed = counter('tasks_completed_total', 'Task attempts that completed', ['task']);
    this.failed = counter(
      'tasks_failed_total',
      'Task attempts that failed; final="true" when no retry follows (permanent, or out of attempts)',
      ['task', 'final'],
    );
    this.retried = counter('tasks_retried_total', 'Task attempts after the first that this host started', ['task']);
    this.deferred = counter(
      'tasks_deferred_total',
      'Jobs put back for later without spending an attempt, by reason (downstream-unavailable, schema-ahead)',
      ['task', 'reason'],
    );
    this.duration = new Histogram({
      name: `${METRICS_PREFIX}task_duration_seconds`,
      help: 'Run time of one task attempt, by outcome (completed or failed)',
      labelNames: ['task', 'outcome'],
      buckets: TASK_DURATION_BUCKETS,
      registers: [register],
    });
    for (const task of tasks) {
      this.started.inc({ task }, 0);
      this.completed.inc({ task }, 0);
      this.failed.inc({ task, final: 'true' }, 0);
      this.failed.inc({ task, final: 'false' }, 0);
      this.retried.inc({ task }, 0);
    }
  }

  taskStarted(job: ObservedJob): void {
    this.started.inc({ task: job.task });
    if (job.attempt > 1) this.retried.inc({ task: job.task });
    if (this.running.size >= MAX_RUNNING) this.running.delete(this.running.keys().next().value!);
    this.running.set(runKey(job), this.now());
  }

  taskCompleted(job: ObservedJob): void {
    this.completed.inc({ task: job.task });
    this.observeDuration(job, 'completed');
  }

  taskFailed(job: ObservedJob, _reason: string, willRetry: boolean): void {
    this.failed.inc({ task: job.task, final: String(!willRetry) });
    this.observeDuration(job, 'failed');
  }

  taskDeferred(job: ObservedJob, reason: DeferralReason): void {
    this.deferred.inc({ task: job.task, reason });
    // A run deferred before it started was never timed; one deferred mid-run is not a duration.
    this.running.delete(runKey(job));
  }

  private observeDuration(job: ObservedJob, outcome: 'completed' | 'failed'): void {
    const key = runKey(job);
    const startedAt = this.running.get(key);
    if (startedAt === undefined) return;
    this.running.delete(key);
    this.duration.observe({ task: job.task, outcome }, (this.now() - startedAt) / 1_000);
  }
}

function runKey(job: ObservedJob): string {
  return `${job.taskId}#${job.attempt}`;
}
