// Case 1, enqueue through HTTP: the api-host's POST /orders, configured like production, against
// raw Fastify + one queue.add; 50 busy connections from a separate process, fixed duration.
import { orderRequest, runLoad } from '../lib/autocannon-run.mjs';
import { startCoordinatorApi, startRawApi } from '../lib/hosts.mjs';
import { cpuSeconds, sampleRss } from '../lib/processes.mjs';
import { alternate, ratio } from '../lib/rounds.mjs';
import { fmt } from '../lib/format.mjs';

export const FIELDS = [
  'rps',
  'p50',
  'p99',
  'cpuUsPerRequest',
  'rssPeakMb',
  'non2xx',
  'errors',
  'redisCommandsPerRequest',
];

/**
 * Redis commands per answered request (start-up and background work included, negligible at these
 * counts). Commands that BullMQ's Lua scripts run count too, as Redis counts them.
 */
export async function redisWorkPerRequest(ctx, answered, { harnessCommands = [] } = {}) {
  const counts = await ctx.redisCommands();
  // The harness's own FLUSHALL, CONFIG and INFO (and polling) are not the server's.
  for (const own of ['flushall', 'config|resetstat', 'config', 'info', ...harnessCommands]) delete counts[own];
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const perRequest = Object.fromEntries(
    Object.entries(counts)
      .map(([name, calls]) => [name, calls / answered])
      .filter(([, n]) => n >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => [name, Number(n.toFixed(2))]),
  );
  return { redisCommandsPerRequest: answered ? total / answered : undefined, redisCommands: perRequest };
}

/**
 * What tracing produced while `run` ran: bytes the OTLP sink received and spans hosts dropped (a
 * host flushes what it holds when it stops, so `run` includes stopping it).
 */
export async function tracesDuring(ctx, run) {
  const before = ctx.traceCounts();
  const result = await run();
  const after = ctx.traceCounts();
  return { ...result, traceExportBytes: after.bytes - before.bytes, spansDropped: after.spans - before.spans };
}

/** One load against a freshly started server on an empty Redis; flat figures. */
export async function measureLoad(ctx, host, { apiKey, label }) {
  const { load } = ctx.config;
  const rss = sampleRss(host.proc.pid);
  const cpuBefore = cpuSeconds(host.proc.pid);
  let result;
  let memory;
  let cpu;
  try {
    result = await runLoad(ctx, { ...orderRequest(host.url, apiKey), ...load });
  } finally {
    memory = rss.stop();
    cpu = cpuSeconds(host.proc.pid) - cpuBefore;
  }
  const figures = {
    ...(await redisWorkPerRequest(ctx, result.answered)),
    rps: result.rps,
    p50: result.latencyMs.p50,
    p99: result.latencyMs.p99,
    // The server's CPU over the whole load, warm-up included, per request it answered.
    cpuUsPerRequest: result.answered && Number.isFinite(cpu) ? (cpu * 1e6) / result.answered : undefined,
    rssPeakMb: memory.peakMb,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses: result.statuses,
  };
  ctx.say(
    `  ${label}: ${fmt(figures.rps, 0)} req/s, p50 ${fmt(figures.p50)} ms, p99 ${fmt(figures.p99)} ms, ` +
      `${fmt(figures.cpuUsPerRequest, 0)} µs CPU per request, ` +
      `RSS peak ${fmt(figures.rssPeakMb, 0)} MB, statuses ${JSON.stringify(result.statuses)}, ` +
      `${fmt(figures.redisCommandsPerRequest, 1)} Redis commands per request ${JSON.stringify(figures.redisCommands)}`,
  );
  if (result.ok === 0) throw new Error(`${label}: no request succeeded (${JSON.stringify(result.statuses)})`);
  return figures;
}

export async function enqueueCase(ctx) {
  const { rounds, load, enqueue } = ctx.config;
  ctx.say(
    `enqueue: POST /orders, ${load.connections} connections, ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s, ` +
      `${enqueue.variants.join(' / ')}, ${rounds} round(s)`,
  );
  const start = {
    coordinator: () => startCoordinatorApi(ctx, { profile: true }),
    'coordinator-untraced': () => startCoordinatorApi(ctx, { tracing: false, profile: true }),
    'coordinator-otlp': () => startCoordinatorApi(ctx, { tracing: 'otlp' }),
    compared: () => startCoordinatorApi(ctx, { compared: true }),
    raw: () => startRawApi(ctx, { profile: true }),
  };
  const { runs, medians } = await alternate({
    rounds,
    variants: enqueue.variants,
    fields: [...FIELDS, 'traceExportBytes', 'spansDropped'],
    measure: async (variant, round) => {
      await ctx.resetRedis();
      ctx.say(`enqueue round ${round}/${rounds}: ${variant}`);
      const figures = await tracesDuring(ctx, async () => {
        const host = await start[variant]();
        try {
          return { ...(await measureLoad(ctx, host, { apiKey: ctx.apiKey, label: variant })), readyMs: host.readyMs };
        } finally {
          await host.proc.stop();
        }
      });
      if (figures.traceExportBytes) ctx.say(`    ${fmt(figures.traceExportBytes / 1024, 0)} KiB of spans exported`);
      if (figures.spansDropped) ctx.say(`    ${fmt(figures.spansDropped, 0)} spans recorded and dropped`);
      return figures;
    },
  });
  return {
    description:
      'POST /orders: api-host (API-key auth, validation, Idempotency-Key, rate limit and queue cap on but never reached, ' +
      `tracing ${ctx.config.traceExport === 'otlp' ? 'exported over OTLP/HTTP to a discard sink' : 'with a no-op exporter'}, ` +
      'info logs) vs raw Fastify + hand validation + one queue.add; ' +
      '`coordinator-untraced`: the same api-host without tracing; `coordinator-otlp`: its spans also exported over ' +
      'OTLP/HTTP (to a sink that discards them)',
    runs,
    medians,
    ratios: {
      rps: ratio(medians.coordinator.rps, medians.raw.rps),
      p99: ratio(medians.coordinator.p99, medians.raw.p99),
      untracedRps: ratio(medians['coordinator-untraced']?.rps, medians.raw.rps),
      untracedP99: ratio(medians['coordinator-untraced']?.p99, medians.raw.p99),
      otlpRps: ratio(medians['coordinator-otlp']?.rps, medians.raw.rps),
    },
  };
}
