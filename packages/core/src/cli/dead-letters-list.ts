import type { Job } from 'bullmq';
import { parseArgs } from 'node:util';
import type { JobEnvelope } from '../runtime/job-envelope.js';
import { hostSettings, loadCliRegistry, withRedis } from './cli-environment.js';
import { parseOrUsage, positiveInteger, printJson, queueOption, UsageError, type CliIo } from './command.js';
import { isoTime, oneLine, plural, table } from './format.js';

export const DEAD_LETTERS_LIST_USAGE = `Usage: coordinator dead-letters list [--queue q] [--limit n] [--json]

Lists failed jobs, newest first: the dead letters, kept in each queue's BullMQ failed set
for the task's failed retention (30 days by default). For each: task id, task, queue,
attempts made/allowed, when it failed, the extension version that enqueued it, and the
failure reason.

Options:
  --queue q    only this queue (default: every queue of the loaded extensions)
  --limit n    show at most n jobs (default: 50)
  --json       print the jobs (and the failed count per queue) as JSON
  -h, --help   show this help`;

/** A failed job as `coordinator dead-letters list` shows it. */
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
}

/** Reads a job stored by the coordinator as a dead letter; tolerates jobs enqueued by others. */
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
  };
  if (meta?.correlationId) letter.correlationId = meta.correlationId;
  return letter;
}

/** `coordinator dead-letters list`. */
export async function deadLettersList(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        queue: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    io.out(DEAD_LETTERS_LIST_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const limit = positiveInteger('--limit', values.limit, 50);
  const only = queueOption(values.queue);
  const settings = hostSettings(io);
  const registry = await loadCliRegistry(settings, io);
  const queues = only === undefined ? registry.queues() : [only];

  const perQueue = await withRedis(settings, (session) =>
    Promise.all(
      queues.map(async (queue) => {
        const [failed, jobs] = await Promise.all([
          session.queue(queue).getFailedCount(),
          session.queue(queue).getFailed(0, limit - 1),
        ]);
        return { queue, failed, jobs: jobs.map((job) => ({ job: job as Job, queue })) };
      }),
    ),
  );
  const newestFirst = perQueue
    .flatMap((q) => q.jobs)
    .sort((a, b) => (b.job.finishedOn ?? 0) - (a.job.finishedOn ?? 0))
    .slice(0, limit);
  const letters = newestFirst.map(({ job, queue }) => deadLetterOf(job, queue));
  const total = perQueue.reduce((sum, q) => sum + q.failed, 0);

  if (values.json) {
    printJson(io, { failed: Object.fromEntries(perQueue.map((q) => [q.queue, q.failed])), jobs: letters });
    return 0;
  }
  if (letters.length === 0) {
    io.out(`No failed jobs in ${queues.join(', ')}.`);
    return 0;
  }
  const rows = letters.map((l) => [
    l.taskId,
    l.task,
    l.queue,
    `${l.attemptsMade}/${l.maxAttempts}`,
    l.failedAt,
    l.enqueuedBy,
    oneLine(l.failedReason),
  ]);
  const headers = ['TASK ID', 'TASK', 'QUEUE', 'ATTEMPTS', 'FAILED AT', 'ENQUEUED BY', 'REASON'];
  for (const line of table(rows, { headers })) io.out(line);
  io.out('');
  const breakdown = perQueue.filter((q) => q.failed > 0).map((q) => `${q.queue} ${q.failed}`);
  io.out(`Showing ${letters.length} of ${plural(total, 'failed job')} (${breakdown.join(', ')}).`);
  io.out('Replay with: coordinator dead-letters replay <taskId…>, or --all [--queue q]');
  return 0;
}
