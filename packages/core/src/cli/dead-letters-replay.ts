import { parseArgs } from 'node:util';
import { queuesToSearch, replayDeadLetter, type ReplayOutcome } from '../runtime/dead-letters.js';
import { hostSettings, loadCliRegistry, withRedis, type RedisSession } from './cli-environment.js';
import { parseOrUsage, queueOption, UsageError, type CliIo } from './command.js';
import { oneLine, plural } from './format.js';

export const DEAD_LETTERS_REPLAY_USAGE = `Usage: coordinator dead-letters replay <taskId…> [--queue q]
       coordinator dead-letters replay --all [--queue q]

Moves failed jobs back to waiting, where the workers pick them up again (BullMQ
job.retry('failed')). The job keeps its id, payload and envelope; replay resets its
attempt counters (attemptsMade and attemptsStarted), so it gets its task's whole retry
policy again, as if newly enqueued. A job that is not failed (any more) is reported as
"not failed, skipped" and left alone, so replaying twice enqueues nothing twice.
Prints progress ("replayed 17/120 …") as it goes; exits 1 when a job was not found or
could not be replayed.

Arguments:
  <taskId…>    the task ids to replay (from "coordinator dead-letters list")

Options:
  --all        every failed job, of every queue of the loaded extensions
  --queue q    only look in this queue
  -h, --help   show this help`;

/** Print a progress line at least this often (and every {@link PROGRESS_EVERY} jobs). */
const PROGRESS_INTERVAL_MS = 1_000;
const PROGRESS_EVERY = 100;

/** `coordinator dead-letters replay`. */
export async function deadLettersReplay(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals: ids } = parseOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { all: { type: 'boolean' }, queue: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help) {
    io.out(DEAD_LETTERS_REPLAY_USAGE);
    return 0;
  }
  if (values.all && ids.length > 0) throw new UsageError('give task ids or --all, not both');
  if (!values.all && ids.length === 0) {
    throw new UsageError('replay needs task ids or --all, like "coordinator dead-letters replay --all --queue orders"');
  }
  const only = queueOption(values.queue);
  const settings = hostSettings(io);
  const registry = await loadCliRegistry(settings, io);

  return withRedis(settings, async (session) => {
    const targets = values.all
      ? await failedJobIds(session, only === undefined ? registry.queues() : [only])
      : ids.map((id) => ({ id, queues: only === undefined ? queuesToSearch(registry, id) : [only] }));
    if (values.all) {
      io.out(
        targets.length === 0
          ? `No failed jobs in ${only ?? registry.queues().join(', ')}.`
          : `Replaying ${plural(targets.length, 'failed job')}.`,
      );
    }
    const progress = new Progress(io, targets.length);
    for (const target of targets) {
      const outcome = await replayDeadLetter((name) => session.queue(name), target.id, target.queues);
      // Each listed id gets its own line; with --all, only the ones that were not replayed.
      if (!values.all || outcome.kind !== 'replayed') io.out(describe(target.id, outcome));
      progress.count(outcome);
    }
    if (targets.length > 0) progress.print();
    return progress.missing + progress.errors > 0 ? 1 : 0;
  });
}

/** Snapshot of the failed sets, oldest first, so jobs failing meanwhile are not chased. */
async function failedJobIds(session: RedisSession, queues: readonly string[]) {
  const perQueue = await Promise.all(
    queues.map(async (queue) => {
      const ids = await session.queue(queue).getRanges(['failed'], 0, -1, true);
      return ids.map((id) => ({ id, queues: [queue] }));
    }),
  );
  return perQueue.flat();
}

function describe(taskId: string, outcome: ReplayOutcome): string {
  switch (outcome.kind) {
    case 'replayed':
      return `replayed ${taskId} (queue ${outcome.queue})`;
    case 'skipped':
      return `${taskId}: not failed (${outcome.state}), skipped`;
    case 'missing':
      return `${taskId}: not found (unknown id, or removed after its retention)`;
    case 'error':
      return `${taskId}: could not replay (queue ${outcome.queue}): ${oneLine(outcome.message)}`;
  }
}

/** Counts outcomes and prints `replayed 17/120 (2 skipped)` every so often. */
class Progress {
  replayed = 0;
  skipped = 0;
  missing = 0;
  errors = 0;
  private lastPrint = Date.now();

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {}

  count(outcome: ReplayOutcome): void {
    if (outcome.kind === 'replayed') this.replayed += 1;
    else if (outcome.kind === 'skipped') this.skipped += 1;
    else if (outcome.kind === 'missing') this.missing += 1;
    else this.errors += 1;
    const done = this.replayed + this.skipped + this.missing + this.errors;
    if (done < this.total && (done % PROGRESS_EVERY === 0 || Date.now() - this.lastPrint >= PROGRESS_INTERVAL_MS)) {
      this.print();
    }
  }

  print(): void {
    this.lastPrint = Date.now();
    const parts = [
      this.skipped && `${this.skipped} skipped`,
      this.missing && `${this.missing} not found`,
      this.errors && `${this.errors} failed to replay`,
    ].filter(Boolean);
    this.io.out(`replayed ${this.replayed}/${this.total}${parts.length ? ` (${parts.join(', ')})` : ''}`);
  }
}
