/*
 * Scenario 2: Redis goes away for 5 s under load and comes back on the same port with the
 * same AOF. While it is down the API must refuse fast (503 within a second, never a 202 for
 * a job it could not store); once it is back, the worker hosts must pick up work again by
 * themselves (same processes, no restart) and no accepted task may be lost.
 */
import type { RecordedCall } from '@coordinator/testing';
import { pause } from '../support/deadline.js';
import { drainAndCheck, finishedAtFakes } from '../support/drain.js';
import { latencySummary } from '../support/latency.js';
import { answerCounts, OrderLoad } from '../support/order-load.js';
import { progress, ticker } from '../support/progress.js';
import type { ScenarioContext } from '../support/scenario-context.js';
import { check, summariseLoad, zeroChecks, type ScenarioResult } from '../support/scenario-result.js';

export async function redisRestart(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.settings.redisRestart;
  const { cluster, signal } = ctx;
  const began = Date.now();
  progress(
    `2 redis-restart: orders at ${s.ratePerSec}/s; Redis down (${s.signal}) for ${s.downMs / 1000} s after ${s.beforeMs / 1000} s`,
  );
  const workersBefore = cluster.liveWorkers().map((w) => w.worker.pid);
  const exitsBefore = cluster.unplannedExits.length;

  // When each order first reached order management: the proof that a worker took its job.
  const omsCreates = new Map<string, number>();
  const stopListening = cluster.oms.onCall((call: RecordedCall) => {
    const orderId = (call.body as { orderId?: unknown } | undefined)?.orderId;
    if (call.method === 'POST' && call.path === '/orders' && typeof orderId === 'string' && !omsCreates.has(orderId)) {
      omsCreates.set(orderId, Date.parse(call.at));
    }
  });

  const load = new OrderLoad(cluster.call, { label: 'redis', ratePerSec: s.ratePerSec, signal });
  const loading = load.start();
  const orders = () => load.accepted.map((a) => ({ orderId: a.orderId, taskId: a.taskId }));
  const stopTicker = ticker(
    ctx.settings.progressEveryMs,
    () =>
      `2 redis-restart: redis ${cluster.redis.running ? 'up' : 'DOWN'}, sent ${load.sent}, accepted ${load.accepted.length}, ` +
      `finished ${finishedAtFakes(ctx, orders())}`,
  );

  let downAt: number;
  let upAt: number;
  let upBegan: number;
  let readinessWhileDown: number | string;
  try {
    await pause(s.beforeMs, signal);
    await cluster.redis.down(s.signal);
    downAt = Date.now();
    progress(`2 redis-restart: Redis down`);
    readinessWhileDown = await cluster.call('/health/ready', { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      (e: Error) => e.name,
    );
    await pause(s.downMs - (Date.now() - downAt), signal);
    upBegan = Date.now();
    await cluster.redis.up();
    upAt = Date.now();
    progress(`2 redis-restart: Redis back after ${((upAt - downAt) / 1000).toFixed(1)} s`);
    await pause(s.afterMs, signal);
  } finally {
    load.stop();
    await loading;
    stopTicker();
  }
  for (const a of load.accepted) ctx.known.add(a.orderId);

  const drained = await drainAndCheck(ctx, '2 redis-restart', orders(), { timeoutMs: s.drainTimeoutMs });
  stopListening();
  const { delivery, effects } = drained;

  // Answers to requests sent and answered while Redis was down.
  const during = load.attempts.filter((a) => a.at >= downAt && a.at + a.ms <= upBegan);
  const answers = answerCounts(during);
  const accepted202 = answers['202'] ?? 0;
  const not503 = during.filter((a) => a.status !== 503).length;
  const slowest = latencySummary(during.map((a) => a.ms));
  // Consumption resumed: the first order stored after the restart that a worker took to order management.
  const resumedAt = load.accepted
    .filter((a) => a.acceptedAt >= upAt)
    .reduce((first, a) => Math.min(first, omsCreates.get(a.orderId) ?? Infinity), Infinity);
  const resumedMs = Number.isFinite(resumedAt) ? Math.max(0, resumedAt - upAt) : null;
  const workersAfter = cluster.liveWorkers().map((w) => w.worker.pid);
  const restarted = workersBefore.filter((pid) => !workersAfter.includes(pid)).length;
  const diedOnTheirOwn = cluster.unplannedExits.slice(exitsBefore);

  return {
    id: 2,
    name: 'redis-restart',
    title: `Redis stopped (${s.signal}) for ${s.downMs / 1000} s during load and started again on the same port and AOF`,
    startedAt: new Date(began).toISOString(),
    durationMs: Date.now() - began,
    settings: { ...s },
    load: summariseLoad(load),
    delivery,
    effects,
    timings: {
      // Stopped: from the process gone to the new one started; outage: until it answers (AOF replayed).
      stoppedMs: upBegan - downAt,
      outageMs: upAt - downAt,
      resumedAfterRestartMs: resumedMs,
      drainMs: drained.drainMs,
    },
    observed: {
      answersWhileDown: answers,
      latencyWhileDownMs: slowest,
      readinessWhileDown,
      workersBefore,
      workersAfter,
      workersExitedOnTheirOwn: diedOnTheirOwn,
    },
    headline:
      `503 max ${slowest.max ?? '–'} ms while down, ` +
      `resumed ${resumedMs === null ? 'never' : `${(resumedMs / 1000).toFixed(1)} s`} after`,
    checks: [
      check('requests answered while down', '>= 1', during.length, during.length >= 1),
      check('202 while down', '= 0', accepted202, accepted202 === 0),
      check('answers other than 503 while down', '= 0', not503, not503 === 0),
      check(
        'slowest answer while down',
        `<= ${s.answerWithinMs} ms`,
        slowest.max,
        slowest.max !== null && slowest.max <= s.answerWithinMs,
      ),
      check('readiness while down', '= 503', readinessWhileDown, readinessWhileDown === 503),
      check(
        'consumption resumed after restart',
        `<= ${s.resumeWithinMs} ms`,
        resumedMs,
        resumedMs !== null && resumedMs <= s.resumeWithinMs,
      ),
      check(
        'worker hosts restarted or exited',
        '= 0',
        restarted + diedOnTheirOwn.length,
        restarted + diedOnTheirOwn.length === 0,
      ),
      ...zeroChecks(delivery, effects),
    ],
  };
}
