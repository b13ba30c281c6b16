// Case 3, end-to-end latency: POST /bench/tasks at a fixed rate with the api and a worker running;
// for every 202, the time from the client receiving it to the handler starting (the no-op handler
// returns its start time, stored with the job) and to BullMQ marking the job completed (finishedOn).
// Both clocks are the machine's wall clock read in separate processes, so sub-millisecond values
// (and a handler that starts before the client has read its 202, which shows as negative) are real.
// BullMQ stamps finishedOn in whole milliseconds (Date.now()), so → completed reads up to 1 ms low,
// and can read below → start.
import { runLoad } from '../lib/autocannon-run.mjs';
import { fmt } from '../lib/format.mjs';
import {
  BENCH_EXTENSION,
  startCoordinatorApi,
  startCoordinatorWorker,
  startRawApi,
  startRawWorker,
} from '../lib/hosts.mjs';
import { jobTimes, waitForFinished } from '../lib/queue-state.mjs';
import { alternate } from '../lib/rounds.mjs';
import { summarise } from '../lib/stats.mjs';

/** The worker-host's default concurrency, used by both variants. */
const CONCURRENCY = 10;

async function measure(ctx, variant, rate) {
  const { e2e } = ctx.config;
  await ctx.resetRedis();
  const hosts = [];
  try {
    const [api, worker] =
      variant === 'coordinator'
        ? await Promise.all([
            startCoordinatorApi(ctx, { extensions: BENCH_EXTENSION }),
            startCoordinatorWorker(ctx, { extensions: BENCH_EXTENSION, concurrency: CONCURRENCY }),
          ])
        : await Promise.all([startRawApi(ctx), startRawWorker(ctx, { concurrency: CONCURRENCY })]);
    hosts.push(api, worker);
    const load = await runLoad(ctx, {
      url: api.url,
      method: 'POST',
      path: '/bench/tasks',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ctx.apiKey}`,
        'idempotency-key': 'e2e-[<id>]',
      },
      body: JSON.stringify({ ref: 'e2e' }),
      connections: e2e.connections,
      overallRate: rate,
      warmupSeconds: e2e.warmupSeconds,
      durationSeconds: e2e.durationSeconds,
      receipts: true,
    });
    const receipts = load.receipts;
    if (receipts.length === 0) throw new Error(`${variant}: no 202 (${JSON.stringify(load.statuses)})`);
    // Warm-up jobs are in the queue too: wait for all of them.
    const accepted = Object.entries(load.statuses).reduce((n, [s, c]) => n + (s === '202' ? c : 0), 0);
    await waitForFinished(ctx.admin, 'bench', accepted, { timeoutMs: 30_000 + accepted * 5 });
    const times = await jobTimes(
      ctx.admin,
      'bench',
      receipts.map(([taskId]) => taskId),
    );
    const toStart = [];
    const toDone = [];
    for (const [taskId, answeredAt] of receipts) {
      const t = times.get(taskId);
      if (!t || typeof t.startedAt !== 'number') continue;
      toStart.push(t.startedAt - answeredAt);
      toDone.push(t.finishedAt - answeredAt);
    }
    const start = summarise(toStart);
    const done = summarise(toDone);
    const figures = {
      rps: load.rps,
      httpP50: load.latencyMs.p50,
      httpP99: load.latencyMs.p99,
      startP50: start.p50,
      startP99: start.p99,
      doneP50: done.p50,
      doneP99: done.p99,
      jobs: start.count,
      // Requests that got no 202: errors, timeouts, other statuses, or still queued when the run ended.
      missed: load.non2xx + load.errors + load.timeouts + load.unanswered,
    };
    ctx.say(
      `  ${variant}: ${fmt(figures.rps, 0)} req/s answered (HTTP p50 ${fmt(figures.httpP50)} ms, p99 ${fmt(figures.httpP99)} ms); ` +
        `202 → handler start p50 ${fmt(figures.startP50)} ms, p99 ${fmt(figures.startP99)} ms; ` +
        `→ completed p50 ${fmt(figures.doneP50)} ms, p99 ${fmt(figures.doneP99)} ms (${start.count} jobs; ` +
        `${figures.missed} requests without a 202: ${JSON.stringify(load.statuses)}, ${load.timeouts} timeouts, ${load.unanswered} unanswered)`,
    );
    return figures;
  } finally {
    await Promise.all(hosts.map((h) => h.proc.stop()));
  }
}

export async function e2eCase(ctx) {
  const { rounds, e2e } = ctx.config;
  ctx.say(
    `e2e: POST /bench/tasks at ${e2e.rates.join(' and ')} req/s for ${e2e.durationSeconds} s ` +
      `(+${e2e.warmupSeconds} s warm-up), worker concurrency ${CONCURRENCY}, ${rounds} round(s)`,
  );
  const byRate = {};
  for (const rate of e2e.rates) {
    byRate[rate] = await alternate({
      rounds,
      variants: ['coordinator', 'raw'],
      fields: ['rps', 'httpP50', 'httpP99', 'startP50', 'startP99', 'doneP50', 'doneP99', 'jobs', 'missed'],
      measure: (variant, round) => {
        ctx.say(`e2e ${rate} req/s round ${round}/${rounds}: ${variant}`);
        return measure(ctx, variant, rate);
      },
    });
  }
  return {
    description:
      `fixed rate, open loop (${e2e.rates.join(' and ')} req/s): client's 202 → no-op handler start and → job completed; ` +
      'coordinator = api-host + worker-host with the bench extension; raw = raw Fastify + raw Worker. ' +
      'HTTP latency counts from when a request was due, so a server slower than the rate shows as growing latency; ' +
      'BullMQ stamps completion in whole milliseconds, so → completed reads up to 1 ms low (below → start at times)',
    concurrency: CONCURRENCY,
    byRate,
  };
}
