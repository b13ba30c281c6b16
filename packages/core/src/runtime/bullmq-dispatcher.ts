import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnavailableError } from '../contract/errors.js';
import { addReadingBack } from './add-reading-back.js';
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
  private wasConnected = false;

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
    // A rejection is left to the dispatches that await it.
    this.connected.then(
      () => (this.wasConnected = true),
      () => undefined,
    );
  }

  protected store(jobs: readonly PreparedJob[]): Promise<StoredJob[]> {
    // One promise settled by whichever comes first, rather than a race of two: every promise of a
    // dispatch runs every AsyncLocalStorage's hooks.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new QueueUnavailableError(`the queue did not accept the task within ${this.storeTimeoutMs} ms`)),
        this.storeTimeoutMs,
      );
      this.storeAll(jobs).then(
        (stored) => {
          clearTimeout(timer);
          resolve(stored);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(
            error instanceof QueueUnavailableError
              ? error
              : new QueueUnavailableError(`the queue is unavailable: ${(error as Error).message}`, { cause: error }),
          );
        },
      );
    });
  }

  private async storeAll(jobs: readonly PreparedJob[]): Promise<StoredJob[]> {
    // Awaited only until the connection has been ready once.
    if (!this.wasConnected) await this.connected;
    // Index first: an index entry for a job that failed to store is skipped when listed,
    // while a stored job missing from its index would be invisible. The queues share this
    // connection and Redis runs one connection's commands in order, so writing the index
    // command before the adds is enough; waiting for its reply would cost a round trip.
    // (The writes that would reject it, out of memory under `noeviction`, reject the adds too.)
    // The transport gathers these writes into one system call (coalesceWrites).
    const [, ...stored] = await Promise.all([this.index(jobs), ...jobs.map((job) => this.add(job))]);
    return stored;
  }

  /** One script call for every correlated job: a MULTI would copy BullMQ's scripts into a pipeline each time. */
  private async index(jobs: readonly PreparedJob[]): Promise<void> {
    const correlated = jobs.filter((job) => job.envelope.meta.correlationId !== undefined);
    if (correlated.length === 0) return;
    const keys = correlated.map((job) => correlationKey(this.prefix, job.envelope.meta.correlationId!));
    const ids = correlated.map((job) => job.taskId);
    await this.redis.eval(INDEX_SCRIPT, keys.length, ...keys, Date.now(), CORRELATION_RETENTION_SECONDS, ...ids);
  }

  /**
   * Adding an existing id stores nothing, so a keyed dispatch must learn what is stored: the
   * job's data is read back in the add's round trip, and only its data field, not the whole
   * job hash BullMQ's `getJob` parses.
   */
  private async add(job: PreparedJob): Promise<StoredJob> {
    const definition = job.task.definition;
    const queue = this.queueOf(job.queue);
    const options = {
      jobId: job.taskId,
      attempts: definition.retry.attempts,
      backoff: backoffOf(definition),
      delay: job.delayMs,
      removeOnComplete: { age: definition.retention.completedSeconds },
      removeOnFail: { age: definition.retention.failedSeconds },
    };
    if (job.envelope.meta.fingerprint === undefined) {
      await queue.add(definition.name, job.envelope, options);
      return { taskId: job.taskId, fingerprint: undefined };
    }
    const data = await addReadingBack(queue, definition.name, job.envelope, options);
    const stored = data === null ? undefined : (JSON.parse(data) as Partial<JobEnvelope>);
    return { taskId: job.taskId, fingerprint: stored?.meta?.fingerprint };
  }
}

/**
 * KEYS: the correlation indexes; ARGV: enqueue time, retention in seconds, then one task id
 * per key. Every key carries the coordinator's prefix, one Redis Cluster hash tag.
 */
const INDEX_SCRIPT = `
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'NX', ARGV[1], ARGV[i + 2])
  redis.call('EXPIRE', key, ARGV[2])
end
return #KEYS`;
