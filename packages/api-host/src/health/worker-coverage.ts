import type { WorkerHeartbeat } from '@coordinator/core/runtime';

/** Where live worker hosts are listed: `WorkerHeartbeats` in production. */
export interface WorkerDirectory {
  /** Worker hosts whose heartbeat is recent. */
  live(now?: number): Promise<WorkerHeartbeat[]>;
}

/** A live worker host as `GET /health/workers` shows it. */
export interface WorkerSummary {
  id: string;
  hostname: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
  /** Seconds since its last heartbeat (written every 5 s; a host is gone after 15 s). */
  heartbeatAgeSeconds: number;
  coreVersion: string;
  extensions: { name: string; version: string }[];
}

/** One configured queue and the live hosts serving it. */
export interface QueueCoverage {
  queue: string;
  workers: WorkerSummary[];
}

/**
 * Which worker hosts serve which queue. `degraded` when some configured queue has no
 * live worker host: its tasks are accepted and wait in the queue until one starts.
 * `unknown` when the heartbeats could not be read (`reason` says why).
 */
export interface WorkersReport {
  status: 'ok' | 'degraded' | 'unknown';
  checkedAt: string;
  queues: QueueCoverage[];
  /** Configured queues no live worker host serves. */
  unserved: string[];
  reason?: string;
}

/** Groups live heartbeats by the configured queues they serve. */
export function workerCoverage(
  queues: readonly string[],
  live: readonly WorkerHeartbeat[],
  now: number = Date.now(),
): WorkersReport {
  const coverage = queues.map((queue): QueueCoverage => ({
    queue,
    workers: live.filter((w) => w.queues.includes(queue)).map((w) => summarize(w, now)),
  }));
  const unserved = coverage.filter((c) => c.workers.length === 0).map((c) => c.queue);
  return {
    status: unserved.length ? 'degraded' : 'ok',
    checkedAt: new Date(now).toISOString(),
    queues: coverage,
    unserved,
  };
}

/** Seconds since the heartbeat was written, never negative (clock skew between hosts). */
export function heartbeatAgeSeconds(heartbeat: WorkerHeartbeat, now: number): number {
  const at = Date.parse(heartbeat.heartbeatAt);
  return Number.isNaN(at) ? 0 : Math.max(0, (now - at) / 1_000);
}

function summarize(w: WorkerHeartbeat, now: number): WorkerSummary {
  return {
    id: w.id,
    hostname: w.hostname,
    pid: w.pid,
    startedAt: w.startedAt,
    heartbeatAt: w.heartbeatAt,
    heartbeatAgeSeconds: heartbeatAgeSeconds(w, now),
    coreVersion: w.coreVersion,
    extensions: w.extensions,
  };
}
