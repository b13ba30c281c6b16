// What every case shares: the run's own Redis (never the caller's REDIS_URL: the cases flush it
// between runs), the OTLP discard sink, a log directory, the client's API key, progress output,
// and the environment children start from.
import { generateApiKey } from '@coordinator/core/runtime';
import { Redis } from 'ioredis';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { startRedis } from '../../scripts/redis.mjs';
import { startOtlpSink } from './otlp-sink.mjs';

/** Variables that configure the hosts: a caller's values must not leak into what is measured. */
const HOST_VARIABLES =
  /^(COORDINATOR_|OTEL_|ORDERS_|PAYMENTS_|AUTH_|RATE_LIMIT_|QUEUE_MAX_|LOG_|DASHBOARD_|DOCS_|METRICS_|BODY_LIMIT|HEALTH_PORT$|PORT$|HOST$|SHUTDOWN_GRACE_MS$|REDIS_URL$|NODE_OPTIONS$)/;

export async function createContext(config) {
  const began = Date.now();
  const say = (line) => process.stdout.write(`[${((Date.now() - began) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
  const logDir = mkdtempSync(path.join(tmpdir(), 'coordinator-bench-'));
  const cleanups = [];
  const ctx = {
    config,
    say,
    logDir,
    tracing: config.tracing,
    /** Where hosts that drop their spans count them at exit (bench/lib/discard-traces.mjs). */
    spanCountFile: path.join(logDir, 'spans-dropped.txt'),
    /** Spans traced so far: bytes the OTLP sink received, spans dropped by hosts that have exited. */
    traceCounts() {
      const lines = existsSync(this.spanCountFile) ? readFileSync(this.spanCountFile, 'utf8').split('\n') : [];
      return { bytes: this.sink.counts().bytes, spans: lines.reduce((sum, line) => sum + (Number(line) || 0), 0) };
    },
    profileDir: config.profileDir,
    /** The tasks case's concurrency that is profiled (with `profileDir`). */
    profileConcurrency: config.profileConcurrency ?? 50,
    childEnv: Object.fromEntries(
      Object.entries({ ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }).filter(
        ([name]) => !HOST_VARIABLES.test(name),
      ),
    ),
    async close({ keepLogs = false } = {}) {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          process.stderr.write(`bench: cleanup failed: ${error.message}\n`);
        }
      }
      if (!keepLogs) rmSync(logDir, { recursive: true, force: true });
    },
  };
  try {
    if (config.profileDir) mkdirSync(config.profileDir, { recursive: true });
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    ctx.redisUrl = redis.url;
    const admin = new Redis(redis.url, { maxRetriesPerRequest: 3 });
    cleanups.push(() => admin.quit());
    ctx.admin = admin;
    ctx.sink = await startOtlpSink();
    cleanups.push(() => ctx.sink.close());
    const client = generateApiKey('bench', ['orders:write', 'orders:read', 'bench:write', 'tasks:read']);
    ctx.apiKey = client.key;
    ctx.apiKeys = JSON.stringify([client.entry]);
    /** Empties Redis between runs, so every run starts from the same state, and zeroes its command counts. */
    ctx.resetRedis = async () => {
      await admin.flushall();
      await admin.config('RESETSTAT');
    };
    /** Calls per command since the last reset (INFO commandstats), this connection's own included. */
    ctx.redisCommands = async () => {
      const info = await admin.info('commandstats');
      const counts = {};
      for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts[name] = Number(calls);
      return counts;
    };
    say(`redis ${redis.url} (pid ${redis.pid}), OTLP sink ${ctx.sink.url}, logs in ${logDir}`);
    return ctx;
  } catch (error) {
    await ctx.close({ keepLogs: true });
    throw error;
  }
}
