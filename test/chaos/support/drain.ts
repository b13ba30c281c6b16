/*
 * The end of every load: wait until the accepted work has run (bounded by the drain
 * timeout), then count both levels. Whatever has not completed by then is lost — the
 * checker does not wait forever for a job that never comes back.
 */
import { pause, waitFor } from './deadline.js';
import { checkDelivery, type DeliveryCounts, type OrderWork } from './delivery-check.js';
import { countEffects, effectsByOrder, type EffectCounts } from './effect-ledger.js';
import type { JobRecord } from './job-census.js';
import { progress } from './progress.js';
import type { ScenarioContext } from './scenario-context.js';

export interface Drained {
  delivery: DeliveryCounts;
  effects: EffectCounts;
  jobsByOrder: Map<string, JobRecord[]>;
  /** Whether everything completed within the drain timeout. */
  drained: boolean;
  /** From the call until the work was done (or the timeout). */
  drainMs: number;
}

/** Orders whose last effect (fulfil, or refund when cancelled) is at the fakes. */
export function finishedAtFakes(ctx: ScenarioContext, orders: readonly OrderWork[]): number {
  const fulfilled = new Set(
    ctx.cluster.oms
      .transitions()
      .filter((t) => t.to === 'fulfilled')
      .map((t) => t.orderId),
  );
  const refunded = orders.some((o) => o.cancelled) ? refundedOrders(ctx) : new Set<string>();
  return orders.filter((o) => fulfilled.has(o.orderId) && (!o.cancelled || refunded.has(o.orderId))).length;
}

function refundedOrders(ctx: ScenarioContext): Set<string> {
  const orderOfIntent = new Map(ctx.cluster.psp.paymentIntents().map((i) => [i.id, i.metadata['orderId']]));
  return new Set(
    ctx.cluster.psp
      .refunds()
      .map((r) => orderOfIntent.get(typeof r.payment_intent === 'string' ? r.payment_intent : r.payment_intent.id))
      .filter((id): id is string => id !== undefined),
  );
}

export async function drainAndCheck(
  ctx: ScenarioContext,
  label: string,
  orders: readonly OrderWork[],
  { timeoutMs, withPayload = [] }: { timeoutMs: number; withPayload?: readonly string[] },
): Promise<Drained> {
  const began = Date.now();
  const deadline = began + timeoutMs;
  let lastLine = 0;
  // Effects first: cheap to read in this process, and the last thing an order does.
  await waitFor(
    () => {
      const done = finishedAtFakes(ctx, orders);
      if (Date.now() - lastLine >= ctx.settings.progressEveryMs) {
        lastLine = Date.now();
        progress(`${label}: draining, ${done}/${orders.length} orders finished at the fakes`);
      }
      return done === orders.length;
    },
    { timeoutMs, intervalMs: 500, signal: ctx.signal },
  );
  // Then every job: the last job of an order completes just after its effect.
  let result: Awaited<ReturnType<typeof checkDelivery>>;
  for (;;) {
    result = await checkDelivery(ctx.cluster.census, orders, withPayload);
    // Nothing left that could still complete: only failed jobs stand between here and done.
    const final = result.counts.unfinished === 0 && Object.keys(result.counts.missingSteps).length === 0;
    if (result.counts.lost === 0 || final || Date.now() >= deadline || ctx.signal.aborted) break;
    await pause(1_000, ctx.signal);
  }
  const drained = result.counts.lost === 0;
  const effects = countEffects(effectsByOrder(ctx.cluster.oms, ctx.cluster.psp), orders, ctx.known);
  return { delivery: result.counts, effects, jobsByOrder: result.jobsByOrder, drained, drainMs: Date.now() - began };
}
