import { parseArgs } from 'node:util';
import { HEARTBEAT_STALE_MS, WorkerHeartbeats } from '../runtime/worker-heartbeats.js';
import { workersReport, type WorkersReport } from '../runtime/workers-report.js';

export type { VersionSkew, WorkersReport } from '../runtime/workers-report.js';
export { workersReport } from '../runtime/workers-report.js';
import { hostSettings, loadCliRegistry, withRedis } from './cli-environment.js';
import { parseOrUsage, printJson, UsageError, type CliIo } from './command.js';
import { duration, plural, table } from './format.js';

export const WORKERS_USAGE = `Usage: coordinator workers [--json]

Lists the live worker hosts, from the heartbeat each writes to Redis every few seconds
(a host silent for ${duration(HEARTBEAT_STALE_MS)} is gone): id, hostname, pid, the queues it
serves, its extensions' versions, its core version and how long ago it last beat. Then
names the queues of the loaded extensions that no live host serves, and flags version
skew: live hosts running different versions of the same extension (or of core).
Reads REDIS_URL and COORDINATOR_PREFIX like the hosts.

Options:
  --json       print the report as JSON
  -h, --help   show this help`;

/** `coordinator workers`: live worker hosts, unserved queues and version skew. */
export async function workersCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help) {
    io.out(WORKERS_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = hostSettings(io);
  const registry = await loadCliRegistry(settings, io);
  const live = await withRedis(settings, (session) => new WorkerHeartbeats(session.redis, session.prefix).live());
  const report = workersReport(live, registry.queues());
  if (values.json) printJson(io, report);
  else printWorkers(io, report);
  return 0;
}

function printWorkers(io: CliIo, report: WorkersReport): void {
  if (report.workers.length === 0) {
    io.out(`No live worker hosts (none has written a heartbeat in the last ${duration(HEARTBEAT_STALE_MS)}).`);
  } else {
    const rows = report.workers.map((host) => [
      host.id,
      host.hostname,
      String(host.pid),
      host.queues.join(','),
      host.extensions.map((e) => `${e.name}@${e.version}`).join(' '),
      host.coreVersion,
      `${duration(host.heartbeatAgeMs)} ago`,
    ]);
    const headers = ['WORKER', 'HOSTNAME', 'PID', 'QUEUES', 'EXTENSIONS', 'CORE', 'HEARTBEAT'];
    for (const line of table(rows, { headers })) io.out(line);
    io.out('');
    io.out(`${plural(report.workers.length, 'live worker host')}.`);
  }
  if (report.unservedQueues.length > 0) {
    io.out(
      `Queues nobody serves: ${report.unservedQueues.join(', ')} (their jobs wait until a worker host serves them)`,
    );
  } else {
    io.out('Every queue is served.');
  }
  for (const skew of report.versionSkew) {
    const versions = Object.entries(skew.versions).map(([version, hosts]) => `${version} on ${hosts.join(', ')}`);
    io.out(`Version skew: ${skew.name} runs ${versions.join('; ')}`);
  }
}
