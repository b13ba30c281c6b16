// Case 4, isolation: case 1's load on the api-host while a worker-host runs the orders flow against
// the order-management fake, healthy, answering in 5 s, or not answering at all (the client times
// out after ORDERS_OMS_TIMEOUT_MS, 5 s). A slow downstream must not show in the api's latency.
import { FakeOrderManagement, FakePaymentProvider } from '@coordinator/testing';
import { fmt, fmtRatio } from '../lib/format.mjs';
import { startCoordinatorApi, startCoordinatorWorker } from '../lib/hosts.mjs';
import { finishedCounts } from '../lib/queue-state.mjs';
import { alternate, ratio } from '../lib/rounds.mjs';
import { FIELDS, measureLoad } from './enqueue.mjs';

/** The OMS fault of each variant, and the OMS client timeout that goes with it. */
function faultOf(variant, delayMs) {
  switch (variant) {
    case 'healthy':
      return { plan: {}, timeoutMs: delayMs };
    case 'slow':
      // Answers after `delayMs`, within a timeout long enough to wait for it.
      return { plan: { latencyMs: delayMs }, timeoutMs: delayMs * 2 };
    case 'timeout':
      // Never answers in time: the client gives up after the (default) 5 s timeout.
      return { plan: { latencyMs: delayMs * 12 }, timeoutMs: delayMs };
    default:
      throw new Error(`unknown isolation variant ${variant}`);
  }
}

async function measure(ctx, variant) {
  const { isolation } = ctx.config;
  await ctx.resetRedis();
  const oms = new FakeOrderManagement();
  const provider = new FakePaymentProvider();
  const hosts = [];
  try {
    await Promise.all([oms.start(), provider.start()]);
    const fault = faultOf(variant, isolation.omsDelayMs);
    oms.faults.set(fault.plan);
    const env = {
      ORDERS_OMS_URL: oms.url,
      ORDERS_OMS_TIMEOUT_MS: String(fault.timeoutMs),
      PAYMENTS_PROVIDER_URL: provider.url,
      PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
      PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
      PAYMENTS_DEFAULT_PAYMENT_METHOD: 'pm_card_visa',
    };
    const [api, worker] = await Promise.all([startCoordinatorApi(ctx, { env }), startCoordinatorWorker(ctx, { env })]);
    hosts.push(api, worker);
    const figures = await measureLoad(ctx, api, { apiKey: ctx.apiKey, label: variant });
    const orders = await finishedCounts(ctx.admin, 'orders');
    // Calls enter the ledger once answered; the stalled ones are still waiting in the fault injector.
    const omsAnswered = oms.calls.length;
    const omsStalled = oms.faults.pending;
    ctx.say(
      `    worker meanwhile: ${orders.completed} orders.submit completed, ${orders.failed} failed; ` +
        `OMS calls answered ${omsAnswered}, stalled ${omsStalled}`,
    );
    return { ...figures, ordersCompleted: orders.completed, omsAnswered, omsStalled };
  } finally {
    // Workers first: their stuck OMS calls are cut when they shut down.
    await Promise.all(hosts.map((h) => h.proc.stop()));
    await Promise.all([oms.close(), provider.close()]);
  }
}

export async function isolationCase(ctx) {
  const { rounds, load, isolation } = ctx.config;
  ctx.say(
    `isolation: POST /orders (as in enqueue) with a worker-host running; OMS ${isolation.variants.join(' / ')} ` +
      `(${isolation.omsDelayMs / 1000} s), ${rounds} round(s) of ${load.durationSeconds} s`,
  );
  const { runs, medians } = await alternate({
    rounds,
    variants: isolation.variants,
    fields: [...FIELDS, 'ordersCompleted', 'omsAnswered', 'omsStalled'],
    measure: (variant, round) => {
      ctx.say(`isolation round ${round}/${rounds}: OMS ${variant}`);
      return measure(ctx, variant);
    },
  });
  const ratios = Object.fromEntries(
    isolation.variants
      .filter((v) => v !== 'healthy')
      .map((v) => [
        v,
        { p99: ratio(medians[v].p99, medians.healthy.p99), rps: ratio(medians[v].rps, medians.healthy.rps) },
      ]),
  );
  for (const [variant, r] of Object.entries(ratios)) {
    ctx.say(
      `  ${variant} vs healthy: p99 ${fmtRatio(r.p99)}, req/s ${fmtRatio(r.rps)} (p99 ${fmt(medians[variant].p99)} ms)`,
    );
  }
  return {
    description:
      'api-host p99 under the enqueue load while the worker-host calls an order-management fake that is healthy, ' +
      `answers in ${isolation.omsDelayMs / 1000} s (slow) or never (timeout, cut by the client after ${isolation.omsDelayMs / 1000} s); ` +
      'both hosts with orders + payments, payments against the provider fake',
    runs,
    medians,
    ratios,
  };
}
