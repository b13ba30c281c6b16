import type { Queue } from 'bullmq';
import { QueueUnavailableError } from '../contract/errors.js';
import type { ExtensionRegistry } from './extension-registry.js';
import { backoffOf, QueueDispatcher, type PreparedJob } from './queue-dispatcher.js';
import type { ObserverList } from './task-observer.js';

/** How long a completed job (and so its status) stays in Redis. */
export const COMPLETED_RETENTION_SECONDS = 24 * 3600;
/** How long a failed job, the dead-letter record, stays in Redis. */
export const FAILED_RETENTION_SECONDS = 30 * 24 * 3600;

export interface BullMqDispatcherOptions {
  /**
   * Upper bound on waiting for Redis to accept a job. The producer connection already
   * rejects at once while disconnected; this covers a half-open or overloaded server.
   */
  storeTimeoutMs?: number;
}

/** Dispatches to BullMQ queues; a job counts as dispatched once Redis has stored it. */
export class BullMqDispatcher extends QueueDispatcher {
  private readonly storeTimeoutMs: number;

  constructor(
    registry: ExtensionRegistry,
    private readonly queueOf: (name: string) => Queue,
    observers?: ObserverList,
    options: BullMqDispatcherOptions = {},
  ) {
    super(registry, observers);
    this.storeTimeoutMs = options.storeTimeoutMs ?? 800;
  }

  protected async store(jobs: readonly PreparedJob[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(`the queue did not accept the task within ${this.storeTimeoutMs} ms`)),
        this.storeTimeoutMs,
      );
    });
    try {
      await Promise.race([Promise.all(jobs.map((job) => this.add(job))), timeout]);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw error;
      throw new QueueUnavailableError(`the queue is unavailable: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private add(job: PreparedJob) {
    const definition = job.task.definition;
    return this.queueOf(job.queue).add(definition.name, job.envelope, {
      jobId: job.taskId,
      attempts: definition.retry.attempts,
      backoff: backoffOf(definition),
      delay: job.delayMs,
      removeOnComplete: { age: COMPLETED_RETENTION_SECONDS },
      removeOnFail: { age: FAILED_RETENTION_SECONDS },
    });
  }
}
