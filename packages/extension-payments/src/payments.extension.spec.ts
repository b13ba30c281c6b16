import { FakePaymentProvider, startTestCoordinator, type TestCoordinator, type TestMode } from '@coordinator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import payments from './index.js';
import type { Receipt } from './receipt/receipt.pipeline.js';
import { orderCancelled, orderPlaced, ordersStandIn, seen } from './testing/orders-stand-in.js';

describe.each<TestMode>(['inline', 'redis'])('payments extension (%s mode)', (mode) => {
  let provider: FakePaymentProvider;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    provider = new FakePaymentProvider({ webhookRetry: { attempts: 5, baseDelayMs: 20 } });
    await provider.start();
  });
  afterAll(() => provider.close());
  afterEach(async () => {
    provider.setWebhookUrl(undefined);
    provider.faults.reset();
    await coordinator?.close();
  });

  async function start() {
    coordinator = await startTestCoordinator({
      extensions: [payments, ordersStandIn],
      mode,
      env: {
        PAYMENTS_PROVIDER_URL: provider.url,
        PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
        PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
      },
    });
    provider.setWebhookUrl(`${coordinator.http.baseUrl}/payments/webhooks/stripe`);
  }

  /** Tasks and webhooks feed each other: wait until both are quiet. */
  async function settle() {
    for (let round = 0; round < 5; round += 1) {
      await coordinator.waitForIdle({ timeoutMs: 20_000 });
      await provider.waitForWebhooksDrained({ timeoutMs: 10_000 });
    }
    await coordinator.waitForIdle({ timeoutMs: 20_000 });
  }

  async function place(paymentMethod = 'pm_card_visa', key = 'first') {
    const orderId = randomUUID();
    const payload = { orderId, customerId: 'c-9', omsOrderId: 'oms_9', amount: 2500, currency: 'EUR', paymentMethod };
    await coordinator.dispatcher.emit(orderPlaced, payload, { key, correlationId: `order-${orderId}` });
    await settle();
    return orderId;
  }

  const intentsOf = (orderId: string) => provider.paymentIntents().filter((i) => i.metadata['orderId'] === orderId);
  const seenFor = (signal: string, orderId: string) =>
    seen.filter((s) => s.signal === signal && s.payload.orderId === orderId);

  it('creates and captures one payment per order, and announces payment.captured from the webhook', async () => {
    await start();
    const orderId = await place();
    const intents = intentsOf(orderId);
    expect(intents.map((i) => [i.amount, i.currency, i.status])).toEqual([[2500, 'eur', 'succeeded']]);
    expect(seenFor('payment.captured', orderId).map((s) => s.payload)).toEqual([
      { orderId, paymentIntentId: intents[0]!.id, amount: 2500, currency: 'EUR' },
    ]);
  });

  it('never charges twice when order.placed arrives again', async () => {
    await start();
    const orderId = await place();
    const payload = {
      orderId,
      customerId: 'c-9',
      omsOrderId: 'oms_9',
      amount: 2500,
      currency: 'EUR',
      paymentMethod: 'pm_card_visa',
    };
    await coordinator.dispatcher.emit(orderPlaced, payload, { key: 'again', correlationId: `order-${orderId}` });
    await settle();
    expect(intentsOf(orderId)).toHaveLength(1);
    expect(coordinator.journal.completed('payments.create-payment')).toHaveLength(2);
    expect(seenFor('payment.captured', orderId)).toHaveLength(1);
  });

  it('announces payment.failed when the card is declined, without failing the task', async () => {
    await start();
    const orderId = await place('pm_card_chargeDeclined');
    expect(coordinator.journal.failed('payments.create-payment')).toHaveLength(0);
    expect(seenFor('payment.failed', orderId)).toHaveLength(1);
    expect(seenFor('payment.failed', orderId)[0]!.payload.reason).toMatch(/declined/);
    expect(seenFor('payment.captured', orderId)).toHaveLength(0);
  });

  it('refunds a cancelled order exactly once, however often the cancellation arrives', async () => {
    await start();
    const orderId = await place();
    for (const key of ['one', 'two']) {
      await coordinator.dispatcher.emit(orderCancelled, { orderId }, { key, correlationId: `order-${orderId}` });
    }
    await settle();
    const intent = intentsOf(orderId)[0]!;
    expect(provider.refunds().filter((r) => r.payment_intent === intent.id)).toHaveLength(1);
  });

  it('answers the receipt from the provider through the pipeline', async () => {
    await start();
    const orderId = await place();
    const paid = await coordinator.http.get<Receipt>(`/payments/${orderId}/receipt`);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ orderId, amount: 2500, currency: 'EUR', display: '25.00 EUR', status: 'paid' });
    await coordinator.dispatcher.emit(orderCancelled, { orderId }, { correlationId: `order-${orderId}` });
    await settle();
    const refunded = await coordinator.http.get<Receipt>(`/payments/${orderId}/receipt`);
    expect(refunded.body).toMatchObject({ status: 'refunded', amountRefunded: 2500 });
    expect((await coordinator.http.get(`/payments/${randomUUID()}/receipt`)).status).toBe(404);
  });

  it('retries through provider errors with the same idempotency keys', async () => {
    await start();
    provider.faults.set({ failNext: 2 });
    const orderId = await place();
    // Two 503s, then success: the third attempt creates the one intent.
    expect(coordinator.journal.completed('payments.create-payment').map((e) => e.attempt)).toEqual([3]);
    expect(intentsOf(orderId)).toHaveLength(1);
    expect(seenFor('payment.captured', orderId)).toHaveLength(1);
  }, 30_000);
});
