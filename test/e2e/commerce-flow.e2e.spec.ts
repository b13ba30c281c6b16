/*
 * Many orders at once through separate processes and real Redis: every order ends
 * fulfilled with exactly one effect per step at each downstream service, also while
 * the payment provider fails and slows down; cancellations refund exactly once.
 */
import type { OrderAccepted, OrderView } from '@coordinator/extension-orders';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startDeployment, type Deployment } from './support/deployment.js';

const ORDERS = 200;
const CANCELLED = 50;
const order = { customerId: 'c-7', currency: 'EUR', lines: [{ sku: 'BOOK', quantity: 1, unitPrice: 1500 }] };

describe('commerce flow under load', () => {
  let d: Deployment;

  beforeAll(async () => {
    d = await startDeployment({ COORDINATOR_CONCURRENCY: '25' });
  }, 60_000);
  afterAll(() => d?.stop(), 30_000);

  async function placeAll(count: number): Promise<{ key: string; orderId: string }[]> {
    const keys = Array.from({ length: count }, () => `load-${randomUUID()}`);
    // A 503 means nothing was stored and the client should retry (Retry-After): do so,
    // as a client would, with the same key. Under a burst on a 2-core machine the store
    // timeout may trip; idempotency keys make the retry safe and the counts below exact.
    const place = async (key: string, tries = 5): Promise<{ status: number; body: OrderAccepted }> => {
      const res = await d.call(`/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(order),
      });
      if (res.status === 503 && tries > 1) {
        await res.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000));
        return place(key, tries - 1);
      }
      return { status: res.status, body: (await res.json()) as OrderAccepted };
    };
    const answers = await Promise.all(keys.map((key) => place(key)));
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    return answers.map((a, i) => ({ key: keys[i]!, orderId: a.body.orderId }));
  }

  const views = (orderIds: readonly string[]) =>
    Promise.all(orderIds.map(async (id) => (await (await d.call(`/orders/${id}`)).json()) as OrderView));

  const allIn = (stage: OrderView['stage']) => (vs: OrderView[]) => vs.every((v) => v.stage === stage);
  /** On a timeout, show the orders that did not get there, with their unfinished tasks. */
  const laggards = (stage: OrderView['stage']) => (vs: OrderView[]) =>
    vs
      .filter((v) => v.stage !== stage)
      .map((v) => ({ stage: v.stage, tasks: v.tasks.filter((t) => t.state !== 'completed') }));

  function effectsPerOrder(orderIds: readonly string[]) {
    const ids = new Set(orderIds);
    const omsOrders = d.oms.orders().filter((o) => ids.has(o.orderId));
    const intents = d.provider.paymentIntents().filter((i) => ids.has(i.metadata['orderId'] ?? ''));
    const intentIds = new Set(intents.map((i) => i.id));
    const charges = d.provider.charges().filter((c) => intentIds.has(String(c.payment_intent)));
    const refunds = d.provider.refunds().filter((r) => intentIds.has(String(r.payment_intent)));
    const count = (values: string[]) =>
      new Map([...new Set(values)].map((v) => [v, values.filter((x) => x === v).length]));
    return {
      omsPerOrder: count(omsOrders.map((o) => o.orderId)),
      intentsPerOrder: count(intents.map((i) => i.metadata['orderId']!)),
      capturedPerOrder: count(intents.filter((i) => i.amount_received === i.amount).map((i) => i.metadata['orderId']!)),
      chargesPerIntent: count(charges.map((c) => String(c.payment_intent))),
      refundsPerIntent: count(refunds.map((r) => String(r.payment_intent))),
      intentOf: new Map(intents.map((i) => [i.metadata['orderId']!, i.id])),
    };
  }

  const onlyOnes = (m: Map<string, number>) => [...m.values()].every((n) => n === 1);

  async function runFlow(label: string) {
    const placed = await placeAll(ORDERS);
    const orderIds = placed.map((p) => p.orderId);
    const fulfilled = await eventually(() => views(orderIds), allIn('fulfilled'), {
      timeoutMs: 150_000,
      intervalMs: 500,
      what: `${label}: all ${ORDERS} orders fulfilled`,
      show: laggards('fulfilled'),
    });
    const effects = effectsPerOrder(orderIds);
    expect(effects.omsPerOrder.size).toBe(ORDERS);
    expect(onlyOnes(effects.omsPerOrder)).toBe(true);
    // One order per idempotency key at order management, under the key derived from it.
    expect(
      d.oms
        .orders()
        .filter((o) => orderIds.includes(o.orderId))
        .every((o) => o.idempotencyKey === `order-${o.orderId}-submit`),
    ).toBe(true);
    expect(effects.intentsPerOrder.size).toBe(ORDERS);
    expect(onlyOnes(effects.intentsPerOrder)).toBe(true);
    expect(effects.capturedPerOrder.size).toBe(ORDERS);
    expect(effects.chargesPerIntent.size).toBe(ORDERS);
    expect(onlyOnes(effects.chargesPerIntent)).toBe(true);

    const cancelled = orderIds.slice(0, CANCELLED);
    const answers = await Promise.all(
      cancelled.map((id) => d.call(`/orders/${id}/cancel`, { method: 'POST' }).then((r) => r.status)),
    );
    expect(answers).toEqual(Array(CANCELLED).fill(202));
    await eventually(() => views(cancelled), allIn('cancelled'), {
      timeoutMs: 150_000,
      intervalMs: 500,
      what: `${label}: ${CANCELLED} orders cancelled`,
      show: laggards('cancelled'),
    });
    const refunded = await eventually(
      async () => effectsPerOrder(orderIds).refundsPerIntent,
      (m) => m.size === CANCELLED,
      {
        timeoutMs: 150_000,
        intervalMs: 200,
        what: `${label}: ${CANCELLED} refunds`,
        show: (m) => ({ refunds: m.size, perIntent: [...m.values()] }),
      },
    );
    expect(onlyOnes(refunded)).toBe(true);
    const cancelledIntents = new Set(cancelled.map((id) => effects.intentOf.get(id)));
    expect([...refunded.keys()].every((intent) => cancelledIntents.has(intent))).toBe(true);
    return fulfilled;
  }

  it(`fulfils ${ORDERS} concurrent orders with one effect per step, and refunds ${CANCELLED} cancellations once`, async () => {
    await runFlow('healthy');
  }, 180_000);

  it('reaches the same end state while the provider fails 30% of calls and answers slowly', async () => {
    d.provider.faults.set({ failureRate: 0.3, latencyMs: 30 });
    try {
      const fulfilled = await runFlow('faulty provider');
      // Retries are visible as attempts; the effects above were not duplicated.
      const attempts = fulfilled.flatMap((v) => v.tasks.filter((t) => t.task.startsWith('payments.')));
      expect(attempts.some((t) => t.attemptsMade > 1)).toBe(true);
    } finally {
      d.provider.faults.reset();
    }
  }, 600_000);
});
