import { parseArgs } from 'node:util';
import { listDeadLetters } from '../runtime/dead-letters.js';
import { hostSettings, loadCliRegistry, withRedis } from './cli-environment.js';
import { parseOrUsage, positiveInteger, printJson, queueOption, UsageError, type CliIo } from './command.js';
import { oneLine, plural, table } from './format.js';

export type { DeadLetter } from '../runtime/dead-letters.js';

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

  const { failed, jobs: letters } = await withRedis(settings, (session) =>
    listDeadLetters((name) => session.queue(name), queues, limit),
  );
  const total = Object.values(failed).reduce((sum, n) => sum + n, 0);

  if (values.json) {
    printJson(io, { failed, jobs: letters });
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
  const breakdown = Object.entries(failed)
    .filter(([, n]) => n > 0)
    .map(([queue, n]) => `${queue} ${n}`);
  io.out(`Showing ${letters.length} of ${plural(total, 'failed job')} (${breakdown.join(', ')}).`);
  io.out('Replay with: coordinator dead-letters replay <taskId…>, or --all [--queue q]');
  return 0;
}
