/*
 * Scenario 3: order management goes away for 30 s (8 s in `make test`) under load. The
 * worker hosts' circuit breaker for it must open, so jobs wait (delayed, no attempt spent)
 * instead of failing; after recovery the backlog drains, never with more calls in flight at
 * order management than the bulkheads allow; and the API, which never calls a downstream,
 * answers as fast as before.
 */
import ordersExtension from '@coordinator/extension-orders';
import { pause } from '../support/deadline.js';
import { drainAndCheck, finishedAtFakes } from '../support/drain.js';
import { latencySummary } from '../support/latency.js';
import { OrderLoad, type Attempt } from '../support/order-load.js';
import { progress, ticker } from '../support/progress.js';
import type { ScenarioContext } from '../support/scenario-context.js';
import { check, summariseLoad, zeroChecks, type ScenarioResult } from '../support/scenario-result.js';
import { maxOf, scrapeMetrics, sumOf } from '../support/worker-metrics.js';

export const OMS_DOWNSTREAM = 'order-management';
/** `coordinator_breaker_state` value of an open circuit (0 closed, 1 half-open). */
const OPEN = 2;

/**
 * The bulkhead the orders extension declares for order management, per worker host: read
 * from its task definitions so the check follows the extension, not a copy of its number.
 */
export function declaredBulkhead(): number | undefined {
  for (const task of ordersExtension.tasks) {
    const downstreams = (task as { downstreams?: readonly { name: string; bulkhead?: { maxConcurrent?: number } }[] })
      .downstreams;
    const oms = downstreams?.find((d) => d.name === OMS_DOWNSTREAM);
    if (oms?.bulkhead?.maxConcurrent !== undefined) return oms.bulkhead.maxConcurrent;
  }
  return undefined;
}

export async function omsOutage(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.settings.omsOutage;
  const { cluster, signal } = ctx;
  const full = ctx.settings.scale === 'full';
  const began = Date.now();
  const workers = cluster.slots.length;
  const bulkhead = declaredBulkhead();
  progress(
    `3 oms-outage: orders at ${s.ratePerSec}/s; order management down for ${s.downMs / 1000} s after ${s.baselineMs / 1000} s`,
  );

  cluster.oms.faults.reset();
  cluster.oms.faults.set({ latencyMs: s.latencyMs });
  cluster.oms.resetPeakInFlight();

  // Every second: the worst breaker state each worker host reports for order management.
  const breakerTimeline: { atMs: number; states: (number | null)[] }[] = [];
  let firstOpenAt: number | undefined;
  let sampling = true;
  const sampler = (async () => {
    while (sampling && !signal.aborted) {
      const samples = await Promise.all(cluster.liveWorkers().map((w) => scrapeMetrics(w.worker.url)));
      const states = samples.map((m) => maxOf(m, 'coordinator_breaker_state', { downstream: OMS_DOWNSTREAM }) ?? null);
      breakerTimeline.push({ atMs: Date.now() - began, states });
      if (firstOpenAt === undefined && states.some((v) => v === OPEN)) firstOpenAt = Date.now();
      await pause(1_000, signal);
    }
  })();

  const load = new OrderLoad(cluster.call, { label: 'oms', ratePerSec: s.ratePerSec, signal });
  const loading = load.start();
  const orders = () => load.accepted.map((a) => ({ orderId: a.orderId, taskId: a.taskId }));
  const stopTicker = ticker(
    ctx.settings.progressEveryMs,
    () =>
      `3 oms-outage: oms ${Date.now() < (cluster.oms.faults.plan.downUntil ?? 0) ? 'DOWN' : 'up'}, ` +
      `accepted ${load.accepted.length}, finished ${finishedAtFakes(ctx, orders())}, ` +
      `breaker ${JSON.stringify(breakerTimeline.at(-1)?.states ?? [])}, peak in flight ${cluster.oms.peakInFlight}`,
  );

  let downAt: number;
  let upAt: number;
  let drained: Awaited<ReturnType<typeof drainAndCheck>>;
  let deferred: number;
  let drainStart: number;
  try {
    await pause(s.baselineMs, signal);
    downAt = Date.now();
    cluster.oms.faults.downFor(s.downMs);
    progress(`3 oms-outage: order management down`);
    await pause(s.downMs, signal);
    upAt = Date.now();
    progress(`3 oms-outage: order management back`);
    await pause(s.afterMs, signal);
    load.stop();
    await loading;
    for (const a of load.accepted) ctx.known.add(a.orderId);
    drainStart = Date.now();
    drained = await drainAndCheck(ctx, '3 oms-outage', orders(), { timeoutMs: s.drainTimeoutMs });
    const metrics = await Promise.all(cluster.liveWorkers().map((w) => scrapeMetrics(w.worker.url)));
    deferred = metrics.reduce(
      (sum, m) => sum + sumOf(m, 'coordinator_tasks_deferred_total', { reason: 'downstream-unavailable' }),
      0,
    );
  } finally {
    load.stop();
    sampling = false;
    await Promise.all([loading, sampler]);
    stopTicker();
    cluster.oms.faults.reset();
  }
  const { delivery, effects } = drained;

  // The API's latency before and during the outage, from requests started in each window
  // (the first second of load left out: connections and JIT warming up).
  const window = (from: number, to: number) =>
    load.attempts.filter((a: Attempt) => a.at >= from && a.at < to).map((a) => a.ms);
  const before = latencySummary(window(began + 1_000, downAt));
  const during = latencySummary(window(downAt, upAt));
  const ratio = before.p99 && during.p99 !== null ? Number((during.p99 / before.p99).toFixed(2)) : null;
  const peak = cluster.oms.peakInFlight;
  const allowed = bulkhead === undefined ? undefined : bulkhead * workers;
  const drainAfterRecoveryMs = drained.drained ? drainStart + drained.drainMs - upAt : null;

  return {
    id: 3,
    name: 'oms-outage',
    title: `order management down for ${s.downMs / 1000} s during load`,
    startedAt: new Date(began).toISOString(),
    durationMs: Date.now() - began,
    settings: { ...s, workers, bulkheadPerHost: bulkhead ?? null },
    load: summariseLoad(load),
    delivery,
    effects,
    timings: {
      breakerOpenedAfterMs: firstOpenAt === undefined ? null : firstOpenAt - downAt,
      drainMs: drained.drainMs,
      drainAfterRecoveryMs,
    },
    observed: {
      apiLatencyBeforeMs: before,
      apiLatencyDuringMs: during,
      p99Ratio: ratio,
      peakInFlight: peak,
      deferred,
      breakerTimeline,
    },
    headline:
      `breaker ${firstOpenAt === undefined ? 'never opened' : 'opened'}, ${deferred} deferred, ` +
      `peak ${peak}/${allowed ?? '?'} in flight, p99 ×${ratio ?? '?'}`,
    checks: [
      check('breaker opened', 'true', firstOpenAt !== undefined, firstOpenAt !== undefined),
      check('jobs deferred while open', '>= 1', deferred, deferred >= 1),
      check('bulkhead declared for order-management', 'a number', bulkhead ?? null, bulkhead !== undefined),
      check(
        'peak calls in flight at order management',
        `<= ${allowed ?? '?'} (${bulkhead ?? '?'} per host × ${workers} hosts)`,
        peak,
        allowed !== undefined && peak <= allowed,
      ),
      check('backlog drained after recovery', 'true', drained.drained, drained.drained),
      check(
        'API p99 during / before the outage',
        `<= ${s.p99RatioMax}`,
        ratio,
        ratio !== null && ratio <= s.p99RatioMax,
        full,
      ),
      ...zeroChecks(delivery, effects),
    ],
  };
}
