// Starting the servers under test as separate processes: the coordinator's hosts from their built
// bins, configured like production, and the raw baselines. Each resolves to
// { proc, url, readyMs } once its /health/ready answers 200 (readyMs: from spawn to that answer).
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, waitForReady } from './processes.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The hosts' built bins, relative to a checkout (this one or BENCH_COMPARE's). */
export const API_BIN = 'packages/api-host/dist/bin/coordinator-api.js';
export const WORKER_BIN = 'packages/worker-host/dist/bin/coordinator-worker.js';
const DISCARD_TRACES = 'bench/lib/discard-traces.mjs';
const RAW_API = path.join(ROOT, 'bench/baselines/raw-api.mjs');
const RAW_WORKER = path.join(ROOT, 'bench/baselines/raw-worker.mjs');

/** What production deploys: both commerce extensions. */
export const PRODUCTION_EXTENSIONS = '@coordinator/extension-orders,@coordinator/extension-payments';
/** The no-op task and its endpoint (bench/extension), by path. */
export const BENCH_EXTENSION = path.join(ROOT, 'bench/extension/bench-extension.mjs');

/**
 * The checkout a coordinator host runs from: this one, or with `compared` the one BENCH_COMPARE
 * names (its own build, extensions and bench extension), to measure a change against the code
 * before it in one run.
 */
function checkoutOf(ctx, compared) {
  if (!compared) return ROOT;
  if (!ctx.config.compareRoot) throw new Error('a compared variant needs BENCH_COMPARE');
  return ctx.config.compareRoot;
}

/** `extensions` as the checkout at `root` names them: the bench extension is a path inside it. */
function extensionsIn(root, extensions) {
  return extensions
    .split(',')
    .map((e) => (e === BENCH_EXTENSION ? path.join(root, path.relative(ROOT, e)) : e))
    .join(',');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * How a coordinator host traces: `false`, `'discard'` (spans recorded and dropped in the host) or
 * `'otlp'` (posted to the run's discard sink). `tracing` unset: the case's default (ctx.tracing and
 * BENCH_TRACING); `true`: traced the run's way.
 */
function tracingMode(ctx, tracing) {
  if (tracing === undefined || tracing === true) return (tracing ?? ctx.tracing) ? ctx.config.traceExport : false;
  return tracing;
}

/**
 * The hosts' environment as a production deployment has it: API-key auth, info logs as JSON,
 * tracing on (see {@link tracingMode}), metrics, the dashboard and docs at their defaults.
 * The rate limit and the queue cap stay on but are set far above what the load reaches, so
 * their Redis work is paid and they never answer 429 or 503.
 */
export function productionEnv(ctx, extensions, extra = {}, { tracing } = {}) {
  const mode = tracingMode(ctx, tracing);
  return {
    ...ctx.childEnv,
    REDIS_URL: ctx.redisUrl,
    COORDINATOR_EXTENSIONS: extensions,
    COORDINATOR_API_KEYS: ctx.apiKeys,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // `discard`: the host's own telemetry stays off; discard-traces.mjs starts it with its exporter.
    ...(mode === 'otlp'
      ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: ctx.sink.url }
      : { OTEL_TRACES_EXPORTER: 'none' }),
    RATE_LIMIT_MAX: '1000000000',
    QUEUE_MAX_WAITING: '1000000000',
    // Only called by tasks: the isolation case points these at its fakes; elsewhere nothing listens.
    ORDERS_OMS_URL: 'http://127.0.0.1:9',
    PAYMENTS_PROVIDER_URL: 'http://127.0.0.1:9',
    PAYMENTS_PROVIDER_API_KEY: 'sk_test_bench',
    PAYMENTS_STRIPE_WEBHOOK_SECRET: 'whsec_bench',
    SHUTDOWN_GRACE_MS: '2000',
    ...ctx.config.hostEnv,
    ...extra,
  };
}

/** The script and extra environment that start a coordinator bin, through discard-traces.mjs when it traces that way. */
function coordinatorEntry(ctx, tracing, root, bin, serviceName) {
  bin = path.join(root, bin);
  if (tracingMode(ctx, tracing) !== 'discard') return { script: bin, env: {} };
  return {
    script: path.join(root, DISCARD_TRACES),
    // BENCH_SERVICE_NAME: for the discard-traces.mjs of older checkouts (BENCH_COMPARE), which
    // started tracing themselves; this one leaves that to the bin.
    env: { BENCH_HOST_BIN: bin, BENCH_SERVICE_NAME: serviceName, BENCH_SPAN_COUNT_FILE: ctx.spanCountFile },
  };
}

async function startServer(ctx, { label, script, env, portVar, readyTimeoutMs = 30_000, nodeArgs = [], cwd = ROOT }) {
  const port = await freePort();
  const proc = startProcess({
    label,
    args: [...nodeArgs, script],
    env: { ...env, [portVar]: String(port), HOST: '127.0.0.1', NODE_OPTIONS: '' },
    cwd,
    logDir: ctx.logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitForReady(proc, `${url}/health/ready`, { timeoutMs: readyTimeoutMs });
    ctx.say(`    ${label} (pid ${proc.pid}) ready in ${Math.round(readyMs)} ms`);
    return { proc, url, readyMs };
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
}

/** With BENCH_PROFILE_DIR: V8 CPU profiles into <dir>/<host>/ (Node 20 refuses --cpu-prof in NODE_OPTIONS). */
function profileArgs(ctx, profile, host) {
  return profile && ctx.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ctx.profileDir, host)}`] : [];
}

/** `compared`: the api host of the BENCH_COMPARE checkout instead of this one. */
export function startCoordinatorApi(
  ctx,
  { extensions = PRODUCTION_EXTENSIONS, env = {}, profile = false, tracing, compared = false } = {},
) {
  const root = checkoutOf(ctx, compared);
  const entry = coordinatorEntry(ctx, tracing, root, API_BIN, 'coordinator-api');
  return startServer(ctx, {
    label: compared ? 'compared-api' : 'coordinator-api',
    script: entry.script,
    env: {
      ...productionEnv(
        ctx,
        extensionsIn(root, extensions),
        { ...env, ...(compared ? ctx.config.compareEnv : {}) },
        { tracing },
      ),
      ...entry.env,
    },
    portVar: 'PORT',
    nodeArgs: profileArgs(ctx, profile, tracing === false ? 'api-untraced' : 'api'),
    cwd: root,
  });
}

/** `compared`: the worker host of the BENCH_COMPARE checkout instead of this one. */
export function startCoordinatorWorker(
  ctx,
  { extensions = PRODUCTION_EXTENSIONS, concurrency, env = {}, tracing, profile = false, compared = false } = {},
) {
  const root = checkoutOf(ctx, compared);
  const entry = coordinatorEntry(ctx, tracing, root, WORKER_BIN, 'coordinator-worker');
  return startServer(ctx, {
    label: compared ? 'compared-worker' : 'coordinator-worker',
    script: entry.script,
    cwd: root,
    env: {
      ...productionEnv(
        ctx,
        extensionsIn(root, extensions),
        {
          ...(concurrency ? { COORDINATOR_CONCURRENCY: String(concurrency) } : {}),
          ...env,
          ...(compared ? ctx.config.compareEnv : {}),
        },
        { tracing },
      ),
      ...entry.env,
    },
    portVar: 'HEALTH_PORT',
    nodeArgs: profileArgs(ctx, profile, 'worker'),
  });
}

export function startRawApi(ctx, { profile = false } = {}) {
  return startServer(ctx, {
    label: 'raw-api',
    script: RAW_API,
    env: { ...ctx.childEnv, REDIS_URL: ctx.redisUrl },
    portVar: 'PORT',
    nodeArgs: profileArgs(ctx, profile, 'raw-api'),
  });
}

export function startRawWorker(ctx, { concurrency, queue = 'bench', profile = false }) {
  return startServer(ctx, {
    label: 'raw-worker',
    script: RAW_WORKER,
    env: { ...ctx.childEnv, REDIS_URL: ctx.redisUrl, QUEUE: queue, CONCURRENCY: String(concurrency) },
    portVar: 'HEALTH_PORT',
    nodeArgs: profileArgs(ctx, profile, 'raw-worker'),
  });
}
