import { parseArgs } from 'node:util';
import { hostSettings, loadCliRegistry, withRedis } from './cli-environment.js';
import { parseOrUsage, printJson, UsageError, type CliIo } from './command.js';
import { table } from './format.js';

export const QUEUES_USAGE = `Usage: coordinator queues [--json]

Counts the jobs of every queue of the loaded extensions (including queues handlers are
re-routed to by COORDINATOR_WIRING), per state: waiting, active, delayed, prioritized,
completed (still kept) and failed (the dead letters, see "coordinator dead-letters").
Reads REDIS_URL and COORDINATOR_PREFIX like the hosts.

Options:
  --json       print the counts as JSON
  -h, --help   show this help`;

/** The states `coordinator queues` counts, in column order. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

export type QueueCounts = { queue: string } & Record<(typeof QUEUE_STATES)[number], number>;

/** `coordinator queues`: job counts per state per queue. */
export async function queuesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help) {
    io.out(QUEUES_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = hostSettings(io);
  const registry = await loadCliRegistry(settings, io);
  const counts = await withRedis(settings, (session) =>
    Promise.all(
      registry.queues().map(async (queue): Promise<QueueCounts> => {
        const found = await session.queue(queue).getJobCounts(...QUEUE_STATES);
        const row = { queue } as QueueCounts;
        for (const state of QUEUE_STATES) row[state] = found[state] ?? 0;
        return row;
      }),
    ),
  );
  if (values.json) {
    printJson(io, { prefix: settings.COORDINATOR_PREFIX, queues: counts });
    return 0;
  }
  const rows = counts.map((row) => [row.queue, ...QUEUE_STATES.map((state) => String(row[state]))]);
  const headers = ['QUEUE', ...QUEUE_STATES.map((state) => state.toUpperCase())];
  for (const line of table(rows, { headers, right: QUEUE_STATES.map((_, i) => i + 1) })) io.out(line);
  return 0;
}
