import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnavailableError } from '../contract/errors.js';
import type { ExtensionRegistry } from './extension-registry.js';
import type { JobEnvelope } from './job-envelope.js';
import { backoffOf, QueueDispatcher, type PreparedJob, type StoredJob } from './queue-dispatcher.js';
import type { ObserverList } from './task-observer.js';

/** How long a correlation index outlives its last write: as long as the longest-kept job. */
export const CORRELATION_RETENTION_SECONDS = 30 * 24 * 3600;

/** The Redis key of a correlation's index (a sorted set of task ids by enqueue time). */
export function correlationKey(prefix: string, correlationId: string): string {
  return `${prefix}:correlation:${correlationId}`;
}

export interface BullMqDispatcherOptions {
  /**
   * Upper bound on waiting for Redis to accept a job. The producer connection already
   * rejects at once while disconnected; this covers a half-open or overloaded server.
   */
  storeTimeoutMs?: number;
  /**
   * Resolves once the producer connection has been ready once. Until then commands
   * would be rejected by the fail-fast connection, so a dispatch right after startup
   * waits for it (within the store timeout); afterwards an outage fails at once.
   */
  connected?: Promise<void>;
}

/** Dispatches to BullMQ queues; a job counts as dispatched once Redis has stored it. */
export class BullMqDispatcher extends QueueDispatcher {
  private readonly storeTimeoutMs: number;
  private readonly connected: Promise<void>;

  constructor(
    registry: ExtensionRegistry,
    private readonly queueOf: (name: string) => Queue,
    private readonly redis: Redis,
    private readonly prefix: string,
    observers?: ObserverList,
    options: BullMqDispatcherOptions = {},
  ) {
    super(registry, observers);
    this.storeTimeoutMs = options.storeTimeoutMs ?? 800;
    this.connected = options.connected ?? Promise.resolve();
  }

  protected async store(jobs: readonly PreparedJob[]): Promise<StoredJob[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(`the queue did not accept the task within ${this.storeTimeoutMs} ms`)),
        this.storeTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.storeAll(jobs), timeout]);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw error;
      throw new QueueUnavailableError(`the queue is unavailable: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private async storeAll(jobs: readonly PreparedJob[]): Promise<StoredJob[]> {
    await this.connected;
    // Index first: an index entry for a job that failed to store is skipped when listed,
    // while a stored job missing from its index would be invisible.
    await this.index(jobs);
    await Promise.all(jobs.map((job) => this.add(job)));
    return Promise.all(jobs.map((job) => this.storedFingerprint(job)));
  }

  private async index(jobs: readonly PreparedJob[]): Promise<void> {
    const correlated = jobs.filter((job) => job.envelope.meta.correlationId !== undefined);
    if (correlated.length === 0) return;
    const multi = this.redis.multi();
    for (const job of correlated) {
      const key = correlationKey(this.prefix, job.envelope.meta.correlationId!);
      multi.zadd(key, 'NX', Date.now(), job.taskId).expire(key, CORRELATION_RETENTION_SECONDS);
    }
    await multi.exec();
  }

  private add(job: PreparedJob) {
    const definition = job.task.definition;
    return this.queueOf(job.queue).add(definition.name, job.envelope, {
      jobId: job.taskId,
      attempts: definition.retry.attempts,
      backoff: backoffOf(definition),
      delay: job.delayMs,
      removeOnComplete: { age: definition.retention.completedSeconds },
      removeOnFail: { age: definition.retention.failedSeconds },
    });
  }

  /** Adding an existing id stores nothing; a keyed dispatch must then learn what is stored. */
  private async storedFingerprint(job: PreparedJob): Promise<StoredJob> {
    if (job.envelope.meta.fingerprint === undefined) return { taskId: job.taskId, fingerprint: undefined };
    const stored = (await this.queueOf(job.queue).getJob(job.taskId)) as Job<JobEnvelope> | undefined;
    return { taskId: job.taskId, fingerprint: stored?.data.meta.fingerprint };
  }
}
