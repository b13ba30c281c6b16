import type { Job, Queue } from 'bullmq';
import { QueueUnavailableError } from '../contract/errors.js';
import { TaskStatusReader, type TaskState, type TaskStatus } from '../contract/task-status.js';
import type { Redis } from 'ioredis';
import { correlationKey } from './bullmq-dispatcher.js';
import type { ExtensionRegistry } from './extension-registry.js';
import type { JobEnvelope, JobMeta, JobOutcome } from './job-envelope.js';
import { taskNameOf } from './task-id.js';

const STATES: Record<string, TaskState> = {
  waiting: 'waiting',
  'waiting-children': 'waiting',
  prioritized: 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

/** Reads a task's status from its BullMQ job. */
export class BullMqStatusReader extends TaskStatusReader {
  constructor(
    private readonly registry: ExtensionRegistry,
    private readonly queueOf: (name: string) => Queue,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly connected: Promise<void> = Promise.resolve(),
  ) {
    super();
  }

  listByCorrelation(correlationId: string): Promise<TaskStatus[]> {
    return this.reading(async () => {
      // Bounded: a correlation groups the few tasks of one business object.
      const ids = await this.redis.zrange(correlationKey(this.prefix, correlationId), '0', '999');
      const statuses = await Promise.all(ids.map((id) => this.read(id)));
      return statuses.filter((s): s is TaskStatus => s !== undefined);
    });
  }

  get(taskId: string): Promise<TaskStatus | undefined> {
    return this.reading(() => this.read(taskId));
  }

  /** Like dispatching: wait for the first connection, then fail fast with a 503-mapped error. */
  private async reading<T>(read: () => Promise<T>): Promise<T> {
    try {
      await withTimeout(this.connected, 800);
      return await read();
    } catch (error) {
      throw new QueueUnavailableError(`task states are unavailable: ${(error as Error).message}`, { cause: error });
    }
  }

  private async read(taskId: string): Promise<TaskStatus | undefined> {
    const taskName = taskNameOf(taskId);
    if (taskName === undefined) return undefined;
    for (const queue of this.registry.queuesOfTask(taskName)) {
      let job = (await this.queueOf(queue).getJob(taskId)) as Job<JobEnvelope, JobOutcome> | undefined;
      if (!job) continue;
      const state = STATES[await job.getState()] ?? 'waiting';
      // The job may have finished between reading its data and its state: read the data again.
      if ((state === 'completed' || state === 'failed') && !job.finishedOn) {
        job = ((await this.queueOf(queue).getJob(taskId)) as Job<JobEnvelope, JobOutcome> | undefined) ?? job;
      }
      return toStatus(job, state, this.registry.findTask(job.name)?.extension.name);
    }
    return undefined;
  }
}

function toStatus(job: Job<JobEnvelope, JobOutcome>, state: TaskState, extension = 'unknown'): TaskStatus {
  // A job written by another producer may have no envelope; its status (failed, and why) must still read.
  const meta: Partial<JobMeta> = (job.data as Partial<JobEnvelope> | null)?.meta ?? {};
  const status: TaskStatus = {
    taskId: job.id ?? '',
    task: meta.task ?? job.name,
    extension: meta.extension ?? extension,
    state,
    attemptsMade: state === 'active' ? job.attemptsStarted : job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    enqueuedAt: new Date(job.timestamp).toISOString(),
  };
  if (job.processedOn) status.startedAt = new Date(job.processedOn).toISOString();
  if (job.finishedOn) status.finishedAt = new Date(job.finishedOn).toISOString();
  if (state === 'completed' && job.returnvalue) {
    status.result = job.returnvalue.result;
    status.emitted = job.returnvalue.emitted;
  }
  if (job.failedReason) status.failureReason = job.failedReason;
  if (meta.correlationId) status.correlationId = meta.correlationId;
  if (meta.owner) status.owner = meta.owner;
  return status;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis not connected within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
