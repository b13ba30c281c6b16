import { PermanentError } from '../contract/errors.js';
import { TaskStatusReader, type TaskStatus } from '../contract/task-status.js';
import type { ExtensionRegistry } from './extension-registry.js';
import { JobDeferral } from './job-deferral.js';
import { QueueDispatcher, type PreparedJob, type StoredJob } from './queue-dispatcher.js';
import { asError, type TaskExecutor } from './task-executor.js';
import type { ObserverList } from './task-observer.js';
import type { TaskTransport } from './task-transport.js';

interface InlineRecord {
  job: PreparedJob;
  status: TaskStatus;
}

/**
 * Runs tasks in the same process without Redis, for fast tests: dispatch stores the
 * job in memory and runs it on the next turn of the event loop through the same
 * {@link TaskExecutor} the worker host uses, with the same retry and permanent-failure
 * rules. Backoff delays are not waited for, so a test with retries stays fast; a
 * deferred job ({@link JobDeferral}) is, since running it again at once would find the
 * same open breaker, and it comes back without having spent its attempt.
 */
export class InlineTransport extends QueueDispatcher implements TaskTransport {
  readonly kind = 'inline' as const;
  readonly dispatcher: QueueDispatcher = this;
  readonly status: TaskStatusReader;
  private readonly records = new Map<string, InlineRecord>();
  private readonly correlations = new Map<string, string[]>();
  private executor: TaskExecutor | undefined;
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(registry: ExtensionRegistry, observers?: ObserverList) {
    super(registry, observers);
    const records = this.records;
    const correlations = this.correlations;
    this.status = new (class extends TaskStatusReader {
      async get(taskId: string) {
        const record = records.get(taskId);
        return record && structuredClone(record.status);
      }
      async listByCorrelation(correlationId: string) {
        const ids = correlations.get(correlationId) ?? [];
        return ids.map((id) => structuredClone(records.get(id)!.status));
      }
    })();
  }

  /** Called by the worker host once its handlers can be resolved. */
  attachExecutor(executor: TaskExecutor): void {
    this.executor = executor;
    for (const record of this.records.values()) if (record.status.state === 'waiting') this.schedule(record);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    await this.whenIdle();
  }

  /** Resolves when no task is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  protected async store(jobs: readonly PreparedJob[]): Promise<StoredJob[]> {
    const stored: StoredJob[] = [];
    for (const job of jobs) {
      const existing = this.records.get(job.taskId);
      if (existing) {
        stored.push({ taskId: job.taskId, fingerprint: existing.job.envelope.meta.fingerprint });
        continue;
      }
      stored.push({ taskId: job.taskId, fingerprint: job.envelope.meta.fingerprint });
      const record: InlineRecord = {
        // Payloads cross a JSON boundary in Redis; do the same here so tests see the same data.
        job: { ...job, envelope: JSON.parse(JSON.stringify(job.envelope)) as PreparedJob['envelope'] },
        status: {
          taskId: job.taskId,
          task: job.task.definition.name,
          extension: job.task.extension.name,
          state: 'waiting',
          attemptsMade: 0,
          maxAttempts: job.task.definition.retry.attempts,
          enqueuedAt: job.envelope.meta.enqueuedAt,
          ...(job.envelope.meta.correlationId ? { correlationId: job.envelope.meta.correlationId } : {}),
          ...(job.envelope.meta.owner ? { owner: job.envelope.meta.owner } : {}),
        },
      };
      const correlationId = job.envelope.meta.correlationId;
      if (correlationId)
        this.correlations.set(correlationId, [...(this.correlations.get(correlationId) ?? []), job.taskId]);
      this.records.set(job.taskId, record);
      this.schedule(record);
    }
    return stored;
  }

  private schedule(record: InlineRecord): void {
    if (!this.executor) return;
    this.running += 1;
    setImmediate(() => void this.run(record).finally(() => this.settle()));
  }

  private async run(record: InlineRecord): Promise<void> {
    const executor = this.executor!;
    const { status, job } = record;
    status.state = 'active';
    status.attemptsMade += 1;
    status.startedAt ??= new Date().toISOString();
    try {
      const outcome = await executor.execute({
        taskId: job.taskId,
        name: job.task.definition.name,
        data: job.envelope,
        attempt: status.attemptsMade,
        maxAttempts: status.maxAttempts,
      });
      status.state = 'completed';
      status.result = JSON.parse(JSON.stringify(outcome.result ?? null));
      status.emitted = outcome.emitted;
      delete status.failureReason;
    } catch (raw) {
      if (raw instanceof JobDeferral) {
        status.attemptsMade -= 1;
        status.state = 'delayed';
        this.running += 1;
        setTimeout(() => void this.run(record).finally(() => this.settle()), raw.delayMs);
        return;
      }
      const error = asError(raw);
      status.failureReason = error.message;
      if (!(error instanceof PermanentError) && status.attemptsMade < status.maxAttempts) {
        status.state = 'delayed';
        this.running += 1;
        setImmediate(() => void this.run(record).finally(() => this.settle()));
        return;
      }
      status.state = 'failed';
    }
    status.finishedAt = new Date().toISOString();
  }

  private settle(): void {
    this.running -= 1;
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private isIdle(): boolean {
    return this.running === 0;
  }
}
