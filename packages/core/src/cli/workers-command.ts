import { parseArgs } from 'node:util';
import { HEARTBEAT_STALE_MS, WorkerHeartbeats, type WorkerHeartbeat } from '../runtime/worker-heartbeats.js';
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

/** Live hosts running different versions of one package; `versions` maps each version to its hosts' ids. */
export interface VersionSkew {
  /** An extension name, or `@coordinator/core`. */
  name: string;
  versions: Record<string, string[]>;
}

/** What `coordinator workers` reports. */
export interface WorkersReport {
  workers: (WorkerHeartbeat & { heartbeatAgeMs: number })[];
  unservedQueues: string[];
  versionSkew: VersionSkew[];
}

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

/** Ages the heartbeats and finds unserved queues and skewed versions. */
export function workersReport(
  live: readonly WorkerHeartbeat[],
  queues: readonly string[],
  now = Date.now(),
): WorkersReport {
  const served = new Set(live.flatMap((host) => host.queues));
  const packages = new Map<string, Map<string, string[]>>();
  const record = (name: string, version: string, host: string) => {
    const versions = packages.get(name) ?? new Map<string, string[]>();
    versions.set(version, [...(versions.get(version) ?? []), host]);
    packages.set(name, versions);
  };
  for (const host of live) {
    record('@coordinator/core', host.coreVersion, host.id);
    for (const extension of host.extensions) record(extension.name, extension.version, host.id);
  }
  return {
    workers: live.map((host) => ({ ...host, heartbeatAgeMs: Math.max(0, now - Date.parse(host.heartbeatAt)) })),
    unservedQueues: queues.filter((queue) => !served.has(queue)),
    versionSkew: [...packages]
      .filter(([, versions]) => versions.size > 1)
      .map(([name, versions]) => ({ name, versions: Object.fromEntries(versions) })),
  };
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
