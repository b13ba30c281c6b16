import { CORE_VERSION } from '@coordinator/core';
import {
  BullMqTransport,
  DownstreamGuards,
  HeartbeatLoop,
  installHostLogger,
  loadRegistry,
  loadSettings,
  ObserverList,
  WorkerHeartbeats,
} from '@coordinator/core/runtime';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { createWorkerHost, type WorkerHost } from './create-worker-host.js';
import { startHealthServer } from './health/health-server.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';
import { assertNoEviction } from './redis-eviction-check.js';
import { concurrencyOf, WorkerHostSettings } from './worker-host.settings.js';

/**
 * A running worker host started from environment variables.
 *
 * @example
 * ```ts
 * const worker = await startWorkerHost();
 * await worker.close();
 * ```
 */
export interface RunningWorkerHost {
  host: WorkerHost;
  settings: WorkerHostSettings;
  queues: readonly string[];
  /** This host's id in the heartbeats the api-host and the CLI read. */
  workerId: string;
  healthUrl: string;
  close(): Promise<void>;
}

/**
 * Reads the environment, loads the configured extensions (resolved from `cwd`), checks
 * Redis, and starts one BullMQ worker per served queue plus the health server.
 *
 * @example
 * ```ts
 * await startWorkerHost({ env: { ...process.env, COORDINATOR_QUEUES: 'orders' } });
 * ```
 */
export async function startWorkerHost(
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunningWorkerHost> {
  const env = options.env ?? process.env;
  const settings = loadSettings(WorkerHostSettings, env);
  // JSON lines (LOG_LEVEL, LOG_FORMAT) for every Nest logger from here on.
  const hostLogger = installHostLogger('coordinator-worker', settings, env);
  const logger = new Logger('WorkerHost');
  const registry = await loadRegistry(settings, { cwd: options.cwd, warn: (message) => logger.warn(message) });
  const queues = selectQueues(registry.queues(), settings.COORDINATOR_QUEUES);
  await assertNoEviction(settings.REDIS_URL);

  const metrics = settings.METRICS_ENABLED ? new WorkerMetrics(registry, queues) : undefined;
  const transport = new BullMqTransport(registry, {
    redisUrl: settings.REDIS_URL,
    prefix: settings.COORDINATOR_PREFIX,
    observers: metrics && new ObserverList([metrics.enqueued]),
  });
  metrics?.watchQueues((queue, states) => transport.queue(queue).getJobCounts(...states));
  const guards = new DownstreamGuards();
  metrics?.breakers.watch(guards);
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const host = await createWorkerHost({
    registry,
    transport,
    consumers: {
      redisUrl: settings.REDIS_URL,
      prefix: settings.COORDINATOR_PREFIX,
      queues,
      concurrency: (queue) => concurrencyOf(settings.COORDINATOR_CONCURRENCY, queue),
      stalled: {
        lockDurationMs: settings.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: settings.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: settings.WORKER_MAX_STALLED_COUNT,
      },
    },
    graceMs: settings.SHUTDOWN_GRACE_MS,
    logger: hostLogger,
    observers: metrics && [metrics.runs],
    guards,
    env,
  });
  let health: Server;
  try {
    health = await startHealthServer(
      settings.HEALTH_PORT,
      settings.HOST,
      async () => {
        await transport.ping();
        if (!host.pool.isRunning()) throw new Error('workers are not running');
      },
      { metrics: metrics && (() => metrics.scrape()) },
    );
  } catch (error) {
    await host.close();
    await transport.close();
    throw error;
  }
  const heartbeat = new HeartbeatLoop(new WorkerHeartbeats(transport.redis, settings.COORDINATOR_PREFIX), () => ({
    id: workerId,
    hostname: hostname(),
    pid: process.pid,
    startedAt,
    heartbeatAt: new Date().toISOString(),
    queues: [...queues],
    extensions: registry.extensions.map((e) => ({ name: e.name, version: e.version })),
    coreVersion: CORE_VERSION,
  }));
  await heartbeat.start();
  const address = health.address();
  const port = typeof address === 'object' && address ? address.port : settings.HEALTH_PORT;
  const healthUrl = `http://${settings.HOST === '0.0.0.0' ? '127.0.0.1' : settings.HOST}:${port}`;
  logger.log(
    `consuming ${queues.map((q) => `${q}×${concurrencyOf(settings.COORDINATOR_CONCURRENCY, q)}`).join(', ')}; health on ${healthUrl}`,
  );
  let closing: Promise<void> | undefined;
  return {
    host,
    settings,
    queues,
    workerId,
    healthUrl,
    close: () =>
      (closing ??= (async () => {
        await heartbeat.stop();
        await host.close();
        await transport.close();
        health.closeAllConnections();
        await new Promise((resolve) => health.close(resolve));
      })()),
  };
}

function selectQueues(known: readonly string[], wanted: string | undefined): string[] {
  if (!wanted) return [...known];
  const selected = wanted.split(',').map((q) => q.trim());
  const unknown = selected.filter((q) => !known.includes(q));
  if (unknown.length) {
    throw new Error(
      `COORDINATOR_QUEUES names ${unknown.join(', ')}, which no loaded extension uses (known: ${known.join(', ')})`,
    );
  }
  return selected;
}
