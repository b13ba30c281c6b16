/*
 * Scenario 1: three worker hosts, a steady stream of orders, and every 2 s a random worker
 * is SIGKILLed mid-work and started again. Its running jobs stall, are handed out again by
 * BullMQ's stalled-job check, and must finish exactly once at every downstream.
 */
import { pause } from '../support/deadline.js';
import { drainAndCheck, finishedAtFakes } from '../support/drain.js';
import { latencySummary } from '../support/latency.js';
import { OrderLoad } from '../support/order-load.js';
import { progress, ticker } from '../support/progress.js';
import type { ScenarioContext } from '../support/scenario-context.js';
import { check, summariseLoad, zeroChecks, type ScenarioResult } from '../support/scenario-result.js';

export async function workerKills(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.settings.workerKills;
  const { cluster, signal } = ctx;
  const began = Date.now();
  const workers = cluster.slots.length;
  progress(
    `1 worker-kills: ${s.orders} orders at ${s.ratePerSec}/s, SIGKILL a random worker every ${s.killEveryMs} ms`,
  );

  const load = new OrderLoad(cluster.call, { label: 'kills', count: s.orders, ratePerSec: s.ratePerSec, signal });
  const kills: { atMs: number; slot: number; pid: number }[] = [];
  const restartMs: number[] = [];
  const restartFailures: string[] = [];
  const restarts = new Set<Promise<void>>();

  const restart = (slot: number) => {
    const startedAt = Date.now();
    const done = cluster.startWorker(slot).then(
      () => void restartMs.push(Date.now() - startedAt),
      (error: Error) => void restartFailures.push(`slot ${slot}: ${error.message.split('\n')[0]}`),
    );
    restarts.add(done);
    void done.finally(() => restarts.delete(done));
  };

  let killing = true;
  const killer = (async () => {
    while (killing && !signal.aborted) {
      await pause(s.killEveryMs, signal);
      const live = cluster.liveWorkers();
      if (!killing || live.length === 0) continue;
      const { slot, worker } = live[Math.floor(Math.random() * live.length)]!;
      kills.push({ atMs: Date.now() - began, slot, pid: worker.pid });
      await cluster.stopWorker(slot, 'SIGKILL');
      restart(slot);
    }
  })();

  const orders = () => load.accepted.map((a) => ({ orderId: a.orderId, taskId: a.taskId }));
  const stopTicker = ticker(
    ctx.settings.progressEveryMs,
    () =>
      `1 worker-kills: accepted ${load.accepted.length}/${s.orders}, finished ${finishedAtFakes(ctx, orders())}, ` +
      `killed ${kills.length}, workers up ${cluster.liveWorkers().length}/${workers}`,
  );
  let loadMs: number;
  try {
    await load.start();
    loadMs = Date.now() - began;
  } finally {
    killing = false;
    await killer;
    while (restarts.size > 0) await Promise.all([...restarts]);
    stopTicker();
  }
  // A slot whose restart failed is filled again, so later scenarios have every worker.
  for (const [slot, worker] of cluster.slots.entries()) if (!worker) restart(slot);
  while (restarts.size > 0) await Promise.all([...restarts]);
  for (const a of load.accepted) ctx.known.add(a.orderId);

  progress(`1 worker-kills: load done in ${(loadMs / 1000).toFixed(1)} s after ${kills.length} kills; draining`);
  const drained = await drainAndCheck(ctx, '1 worker-kills', orders(), { timeoutMs: s.drainTimeoutMs });
  const { delivery, effects } = drained;
  return {
    id: 1,
    name: 'worker-kills',
    title: `${workers} worker hosts, ${s.orders} orders, SIGKILL a random worker every ${s.killEveryMs / 1000} s`,
    startedAt: new Date(began).toISOString(),
    durationMs: Date.now() - began,
    settings: { ...s, workers },
    load: summariseLoad(load),
    delivery,
    effects,
    timings: { loadMs, drainMs: drained.drainMs },
    observed: { kills: kills.length, restartMs: latencySummary(restartMs), restartFailures },
    headline: `${kills.length} kills, drain ${(drained.drainMs / 1000).toFixed(1)} s`,
    checks: [
      check('orders accepted', `= ${s.orders}`, load.accepted.length, load.accepted.length === s.orders),
      check('workers killed', '>= 1', kills.length, kills.length >= 1),
      check('failed worker restarts', '= 0', restartFailures.length, restartFailures.length === 0),
      ...zeroChecks(delivery, effects),
    ],
  };
}
