import type { WorkerHeartbeat } from './worker-heartbeats.js';

/** Live hosts running different versions of one package; `versions` maps each version to its hosts' ids. */
export interface VersionSkew {
  /** An extension name, or `@coordinator/core`. */
  name: string;
  versions: Record<string, string[]>;
}

/** What `coordinator workers` and `GET /admin/workers` report. */
export interface WorkersReport {
  workers: (WorkerHeartbeat & { heartbeatAgeMs: number })[];
  unservedQueues: string[];
  versionSkew: VersionSkew[];
}

/**
 * Ages the heartbeats and finds unserved queues and skewed versions.
 *
 * @example
 * ```ts
 * const report = workersReport(await heartbeats.live(), registry.queues());
 * ```
 */
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
