/*
 * Scenario 4: a rolling deploy. Each worker host in turn gets SIGTERM while it runs jobs
 * (order management answers slowly, so every job is mid-call for a while) and a new one
 * takes its slot. With a grace longer than any task, every running job finishes in the
 * old process: no job may stall (be handed out again because its worker vanished), and
 * every old process exits 0.
 */
import { pause } from '../support/deadline.js';
import { drainAndCheck, finishedAtFakes } from '../support/drain.js';
import { OrderLoad } from '../support/order-load.js';
import { progress, ticker } from '../support/progress.js';
import type { ScenarioContext } from '../support/scenario-context.js';
import { check, summariseLoad, zeroChecks, type ScenarioResult } from '../support/scenario-result.js';

export async function rollingRestart(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.settings.rollingRestart;
  const { cluster, signal } = ctx;
  const began = Date.now();
  const workers = cluster.slots.length;
  progress(
    `4 rolling-restart: orders at ${s.ratePerSec}/s, tasks ~${s.taskMs / 1000} s; SIGTERM each of ${workers} workers with ${s.graceMs / 1000} s grace`,
  );
  cluster.oms.faults.reset();
  cluster.oms.faults.set({ latencyMs: s.taskMs });

  const load = new OrderLoad(cluster.call, { label: 'roll', ratePerSec: s.ratePerSec, signal });
  const loading = load.start();
  const orders = () => load.accepted.map((a) => ({ orderId: a.orderId, taskId: a.taskId }));
  const stops: { slot: number; pid: number; exit: number | string; stopMs: number; omsCallsInFlight: number }[] = [];
  const stopTicker = ticker(
    ctx.settings.progressEveryMs,
    () =>
      `4 rolling-restart: restarted ${stops.length}/${workers}, accepted ${load.accepted.length}, ` +
      `finished ${finishedAtFakes(ctx, orders())}, calls in flight ${cluster.oms.inFlight}`,
  );

  let drained: Awaited<ReturnType<typeof drainAndCheck>>;
  try {
    // Let work pile up in every worker before the first SIGTERM.
    await pause(Math.max(2_000, s.taskMs * 2), signal);
    for (let slot = 0; slot < workers && !signal.aborted; slot++) {
      const old = cluster.slots[slot];
      if (!old) continue;
      const omsCallsInFlight = cluster.oms.inFlight;
      const stopBegan = Date.now();
      // Surge: the new host starts while the old one finishes its jobs, as a deploy would.
      const [exit] = await Promise.all([
        cluster.stopWorker(slot, 'SIGTERM', s.graceMs + 15_000),
        cluster.startWorker(slot),
      ]);
      stops.push({ slot, pid: old.pid, exit, stopMs: Date.now() - stopBegan, omsCallsInFlight });
      progress(
        `4 rolling-restart: worker ${old.pid} exited ${exit}; slot ${slot} now runs ${cluster.slots[slot]?.pid}`,
      );
    }
    load.stop();
    await loading;
    cluster.oms.faults.reset();
    for (const a of load.accepted) ctx.known.add(a.orderId);
    drained = await drainAndCheck(ctx, '4 rolling-restart', orders(), { timeoutMs: s.drainTimeoutMs });
  } finally {
    load.stop();
    await loading;
    stopTicker();
    cluster.oms.faults.reset();
  }
  const { delivery, effects } = drained;
  const badExits = stops.filter((x) => x.exit !== 0);

  return {
    id: 4,
    name: 'rolling-restart',
    title: `rolling SIGTERM of every worker host in turn, ${s.graceMs / 1000} s grace, tasks of ~${s.taskMs / 1000} s`,
    startedAt: new Date(began).toISOString(),
    durationMs: Date.now() - began,
    settings: { ...s, workers },
    load: summariseLoad(load),
    delivery,
    effects,
    timings: { longestStopMs: Math.max(0, ...stops.map((x) => x.stopMs)), drainMs: drained.drainMs },
    observed: { stops },
    headline: `exits ${stops.map((x) => x.exit).join(', ') || 'none'}, ${delivery.stalled} stalled`,
    checks: [
      check('worker hosts restarted', `= ${workers}`, stops.length, stops.length === workers),
      check('exit codes other than 0', '= 0', badExits.length, badExits.length === 0),
      check(
        'calls in flight at a SIGTERM',
        '>= 1 (work was running)',
        Math.max(0, ...stops.map((x) => x.omsCallsInFlight)),
        stops.some((x) => x.omsCallsInFlight > 0),
        false,
      ),
      check('stalled jobs', '= 0', delivery.stalled, delivery.stalled === 0),
      ...zeroChecks(delivery, effects),
    ],
  };
}
