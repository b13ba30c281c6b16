// Case 5, footprint: each host started as production runs it (orders + payments), time from spawn
// to the first 200 of /health/ready, and its RSS once it has idled for a moment. RSS under load
// comes from the enqueue (api) and tasks (worker) cases, which sample it during their loads.
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt } from '../lib/format.mjs';
import { startCoordinatorApi, startCoordinatorWorker, startRawApi, startRawWorker } from '../lib/hosts.mjs';
import { rssMb } from '../lib/processes.mjs';
import { alternate } from '../lib/rounds.mjs';

const START = {
  api: (ctx) => startCoordinatorApi(ctx),
  worker: (ctx) => startCoordinatorWorker(ctx),
  'api-compared': (ctx) => startCoordinatorApi(ctx, { compared: true }),
  'worker-compared': (ctx) => startCoordinatorWorker(ctx, { compared: true }),
  'api-untraced': (ctx) => startCoordinatorApi(ctx, { tracing: false }),
  'worker-untraced': (ctx) => startCoordinatorWorker(ctx, { tracing: false }),
  'raw-api': (ctx) => startRawApi(ctx),
  'raw-worker': (ctx) => startRawWorker(ctx, { concurrency: 10 }),
};

export async function footprintCase(ctx) {
  const { rounds, footprint } = ctx.config;
  ctx.say(`footprint: start to ready, then RSS after ${footprint.settleMs} ms idle, ${rounds} round(s)`);
  const { runs, medians } = await alternate({
    rounds,
    variants: footprint.variants,
    fields: ['readyMs', 'idleRssMb'],
    measure: async (variant, round) => {
      await ctx.resetRedis();
      ctx.say(`footprint round ${round}/${rounds}: ${variant}`);
      const host = await START[variant](ctx);
      try {
        await sleep(footprint.settleMs);
        const figures = { readyMs: host.readyMs, idleRssMb: rssMb(host.proc.pid) };
        ctx.say(`  ${variant}: ready in ${fmt(figures.readyMs, 0)} ms, idle RSS ${fmt(figures.idleRssMb, 1)} MB`);
        return figures;
      } finally {
        await host.proc.stop();
      }
    },
  });
  return {
    description:
      'coordinator hosts with orders + payments, configured as in production (`-untraced`: the same without tracing); ' +
      'raw baselines for reference. ' +
      'Ready = spawn to the first 200 of GET /health/ready (the worker on its HEALTH_PORT)',
    settleMs: footprint.settleMs,
    runs,
    medians,
  };
}
