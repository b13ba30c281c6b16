import type { Job, Queue } from 'bullmq';
import type { ExtensionRegistry } from './extension-registry.js';
import type { JobEnvelope } from './job-envelope.js';
import { taskNameOf } from './task-id.js';

/*
 * Dead letters are the jobs in each queue's BullMQ failed set: kept for the task's failed
 * retention with their reason, payload and the error of every attempt, listed and replayed
 * by the \`coordinator dead-letters\` commands and the API host's \`/admin/dead-letters\`.
 */

/**
 * A failed job as the dead-letter views show it (`coordinator dead-letters list`,
 * `GET /admin/dead-letters`).
 *
 * @example
 * ```ts
 * const letter = deadLetterOf(job, 'orders');
 * ```
 */
export interface DeadLetter {
  taskId: string;
  task: string;
  queue: string;
  attemptsMade: number;
  maxAttempts: number;
  failedReason: string;
  failedAt: string;
  enqueuedAt: string;
  /** `<extension>@<version>` that enqueued the job, from the job's envelope. */
  enqueuedBy: string;
  correlationId?: string;
  /** The task's payload, as stored (ids and tokens only; never card data). */
  payload?: unknown;
  /** The first line of the error of each failed attempt, oldest first. */
  attemptErrors: string[];
}

/**
 * Reads a job stored by the coordinator  as a dead letter; tolerates jobs enqueued by others.
 *
 * @example
 * ```ts
 * deadLetterOf(job, 'orders').failedReason;
 * ```
 */
export function deadLetterOf(job: Job, queue: string): DeadLetter {
  const meta = (job.data as Partial<JobEnvelope> | undefined)?.meta;
  const letter: DeadLetter = {
    taskId: job.id ?? '',
    task: meta?.task ?? job.name,
    queue,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason ?? '',
    failedAt: isoTime(job.finishedOn),
    enqueuedAt: isoTime(job.timestamp),
    enqueuedBy: meta ? `${meta.extension}@${meta.extensionVersion}` : '-',
    // BullMQ keeps the newest stack first.
    attemptErrors: [...(job.stacktrace ?? [])].reverse().map((stack) => String(stack).split('\n')[0] ?? ''),
  };
  if (meta !== undefined) letter.payload = (job.data as JobEnvelope).payload;
  if (meta?.correlationId) letter.correlationId = meta.correlationId;
  return letter;
}

/** What happened to one replayed job. */
export type ReplayOutcome =
  | { kind: 'replayed'; queue: string }
  | { kind: 'skipped'; queue: string; state: string }
  | { kind: 'missing' }
  | { kind: 'error'; queue: string; message: string };

/**
 * The queues a task id's job may be in: its task's, or every queue when the id names no loaded task.
 *
 * @example
 * ```ts
 * queuesToSearch(registry, 'orders.submit.4b1f…'); // ['orders']
 * ```
 */
export function queuesToSearch(registry: ExtensionRegistry, taskId: string): string[] {
  const task = taskNameOf(taskId);
  const queues = task === undefined ? [] : registry.queuesOfTask(task);
  return queues.length > 0 ? queues : registry.queues();
}

/**
 * Replays one job if it is failed. `job.retry('failed')` removes it from the failed set
 * and pushes it to waiting in one script, refusing when it is not in the failed set, so
 * two concurrent replays of one job enqueue it once.
 *
 * @example
 * ```ts
 * await replayDeadLetter((name) => transport.queue(name), taskId, queuesToSearch(registry, taskId));
 * ```
 */
export async function replayDeadLetter(
  queueOf: (name: string) => Queue,
  taskId: string,
  queues: readonly string[],
): Promise<ReplayOutcome> {
  for (const queue of queues) {
    const job = (await queueOf(queue).getJob(taskId)) as Job | undefined;
    if (!job) continue;
    const state = await job.getState();
    if (state !== 'failed') return { kind: 'skipped', queue, state };
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return { kind: 'replayed', queue };
    } catch (error) {
      const message = (error as Error).message;
      if (/not in the failed state/.test(message)) return { kind: 'skipped', queue, state: await job.getState() };
      return { kind: 'error', queue, message };
    }
  }
  return { kind: 'missing' };
}

/**
 * The newest failed jobs of these queues, and how many each holds.
 *
 * @example
 * ```ts
 * const { failed, jobs } = await listDeadLetters((name) => transport.queue(name), ['orders'], 50);
 * ```
 */
export async function listDeadLetters(
  queueOf: (name: string) => Queue,
  queues: readonly string[],
  limit: number,
): Promise<{ failed: Record<string, number>; jobs: DeadLetter[] }> {
  const perQueue = await Promise.all(
    queues.map(async (queue) => {
      const [failed, jobs] = await Promise.all([
        queueOf(queue).getFailedCount(),
        queueOf(queue).getFailed(0, limit - 1),
      ]);
      return { queue, failed, jobs: jobs.map((job) => ({ job: job as Job, queue })) };
    }),
  );
  const jobs = perQueue
    .flatMap((q) => q.jobs)
    .sort((a, b) => (b.job.finishedOn ?? 0) - (a.job.finishedOn ?? 0))
    .slice(0, limit)
    .map(({ job, queue }) => deadLetterOf(job, queue));
  return { failed: Object.fromEntries(perQueue.map((q) => [q.queue, q.failed])), jobs };
}

function isoTime(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString();
}
