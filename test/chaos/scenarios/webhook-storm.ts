/*
 * Scenario 5: the payment provider delivers every webhook event ten times, concurrently
 * and out of order (payment succeeded, and after a cancellation, charge refunded). The API
 * turns each event into one `payments.process-event` job keyed by the event id, so each
 * event must have exactly one job and one effect: one fulfil per succeeded payment, one
 * refund per cancellation, one signal per event.
 */
import type { FakeStripeEvent } from '@coordinator/testing';
import { waitFor } from '../support/deadline.js';
import { drainAndCheck, finishedAtFakes } from '../support/drain.js';
import type { JobRecord } from '../support/job-census.js';
import { OrderLoad } from '../support/order-load.js';
import { progress, ticker } from '../support/progress.js';
import type { ScenarioContext } from '../support/scenario-context.js';
import { check, summariseLoad, zeroChecks, type ScenarioResult } from '../support/scenario-result.js';

const HANDLED = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded']);

function orderIdOf(event: FakeStripeEvent): string | undefined {
  return (event.data.object as { metadata?: Record<string, string> }).metadata?.['orderId'];
}

export async function webhookStorm(ctx: ScenarioContext): Promise<ScenarioResult> {
  const s = ctx.settings.webhookStorm;
  const { cluster, signal } = ctx;
  const began = Date.now();
  const eventsBefore = cluster.psp.events().length;
  progress(
    `5 webhook-storm: ${s.orders} orders, every provider event delivered ${s.copies}× concurrently, shuffled over ${s.shuffleMs} ms`,
  );
  cluster.psp.setWebhookDelivery({ copies: s.copies, shuffleMs: s.shuffleMs });

  const load = new OrderLoad(cluster.call, { label: 'storm', count: s.orders, ratePerSec: s.ratePerSec, signal });
  const cancelled = new Set<string>();
  const work = () =>
    load.accepted.map((a) => ({ orderId: a.orderId, taskId: a.taskId, cancelled: cancelled.has(a.orderId) }));
  const stopTicker = ticker(
    ctx.settings.progressEveryMs,
    () =>
      `5 webhook-storm: accepted ${load.accepted.length}/${s.orders}, finished ${finishedAtFakes(ctx, work())}, ` +
      `webhook deliveries ${cluster.psp.webhookDeliveries().length}`,
  );
  const cancelAnswers: Record<string, number> = {};
  let drained: Awaited<ReturnType<typeof drainAndCheck>>;
  try {
    await load.start();
    for (const a of load.accepted) ctx.known.add(a.orderId);
    // Cancel a share once fulfilled, so refunds (and their charge.refunded storm) happen too.
    await waitFor(() => finishedAtFakes(ctx, work()) === load.accepted.length, {
      timeoutMs: s.drainTimeoutMs,
      signal,
    });
    for (const { orderId } of load.accepted.slice(0, Math.round(load.accepted.length * s.cancelShare))) {
      const response = await cluster.call(`/orders/${orderId}/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await response.body?.cancel();
      cancelAnswers[response.status] = (cancelAnswers[response.status] ?? 0) + 1;
      if (response.status === 202) cancelled.add(orderId);
    }
    drained = await drainAndCheck(ctx, '5 webhook-storm', work(), {
      timeoutMs: s.drainTimeoutMs,
      withPayload: ['payments.process-event'],
    });
    await cluster.psp.waitForWebhooksDrained({ timeoutMs: 30_000 }).catch(() => undefined);
  } finally {
    stopTicker();
    cluster.psp.setWebhookDelivery({ copies: 1, shuffleMs: 0 });
  }
  const { delivery, effects } = drained;

  // Per handled event of these orders: deliveries that reached the API, and the jobs it made.
  const ours = new Set(load.accepted.map((a) => a.orderId));
  const events = cluster.psp
    .events()
    .slice(eventsBefore)
    .filter((e) => HANDLED.has(e.type) && ours.has(orderIdOf(e) ?? ''));
  const delivered = new Map<string, number>();
  for (const d of cluster.psp.webhookDeliveries())
    if (d.ok) delivered.set(d.eventId, (delivered.get(d.eventId) ?? 0) + 1);
  const jobs: JobRecord[] = [...drained.jobsByOrder.values()].flat();
  const jobsPerEvent = new Map<string, JobRecord[]>();
  for (const job of jobs.filter((j) => j.task === 'payments.process-event')) {
    const eventId = String(job.payload?.['eventId'] ?? '');
    jobsPerEvent.set(eventId, [...(jobsPerEvent.get(eventId) ?? []), job]);
  }
  const deliveredCopies = events.map((e) => delivered.get(e.id) ?? 0);
  const eventsNotStormed = deliveredCopies.filter((n) => n < s.copies).length;
  const eventsWithoutOneJob = events.filter((e) => (jobsPerEvent.get(e.id)?.length ?? 0) !== 1).length;
  const eventsWithoutOneSignal = events.filter((e) => {
    const [job] = jobsPerEvent.get(e.id) ?? [];
    return job?.state !== 'completed' || job.emitted?.length !== 1;
  }).length;
  const fulfilJobsPerOrder = [...drained.jobsByOrder.values()].map(
    (js) => js.filter((j) => j.task === 'orders.fulfil').length,
  );
  const ordersWithoutOneFulfilJob = fulfilJobsPerOrder.filter((n) => n !== 1).length;

  return {
    id: 5,
    name: 'webhook-storm',
    title: `webhook storm: every provider event delivered ${s.copies} times concurrently and out of order`,
    startedAt: new Date(began).toISOString(),
    durationMs: Date.now() - began,
    settings: { ...s },
    load: summariseLoad(load),
    delivery,
    effects,
    timings: { drainMs: drained.drainMs },
    observed: {
      events: events.length,
      deliveries: deliveredCopies.reduce((a, b) => a + b, 0),
      cancelled: cancelled.size,
      cancelAnswers,
    },
    headline: `${events.length} events × ${s.copies} deliveries, ${jobsPerEvent.size} jobs, ${effects.duplicateTotal} dup. effects`,
    checks: [
      check('orders accepted', `= ${s.orders}`, load.accepted.length, load.accepted.length === s.orders),
      check(
        'cancellations accepted',
        `= ${Math.round(s.orders * s.cancelShare)}`,
        cancelled.size,
        cancelled.size === Math.round(s.orders * s.cancelShare),
      ),
      check('events', `= ${s.orders + cancelled.size}`, events.length, events.length === s.orders + cancelled.size),
      check(`events delivered fewer than ${s.copies} times`, '= 0', eventsNotStormed, eventsNotStormed === 0),
      check('events without exactly one job', '= 0', eventsWithoutOneJob, eventsWithoutOneJob === 0),
      check('events without exactly one signal', '= 0', eventsWithoutOneSignal, eventsWithoutOneSignal === 0),
      check('orders without exactly one fulfil job', '= 0', ordersWithoutOneFulfilJob, ordersWithoutOneFulfilJob === 0),
      ...zeroChecks(delivery, effects),
    ],
  };
}
