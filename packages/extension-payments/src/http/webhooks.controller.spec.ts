import { startTestCoordinator, type TestCoordinator, type TestMode } from '@coordinator/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import payments from '../index.js';
import { ordersStandIn } from '../testing/orders-stand-in.js';

const secret = 'whsec_test_coordinator';
const stripe = new Stripe('sk_test_unused', { telemetry: false });
const env = {
  PAYMENTS_PROVIDER_URL: 'http://127.0.0.1:9',
  PAYMENTS_PROVIDER_API_KEY: 'sk_test_unused',
  PAYMENTS_STRIPE_WEBHOOK_SECRET: secret,
};

function succeededEvent(orderId = randomUUID()) {
  return JSON.stringify({
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: { id: 'pi_1', object: 'payment_intent', amount: 3998, currency: 'eur', metadata: { orderId } },
    },
  });
}

const header = (payload: string, options: { secret?: string; timestamp?: number; scheme?: string } = {}) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? secret, ...options });

describe.each<TestMode>(['inline', 'redis'])('POST /payments/webhooks/stripe (%s mode)', (mode) => {
  let coordinator: TestCoordinator;
  afterEach(() => coordinator?.close());

  const start = async () =>
    (coordinator = await startTestCoordinator({ extensions: [payments, ordersStandIn], mode, env }));

  const deliver = (payload: string, signature?: string) =>
    coordinator.http.request<{ received?: boolean; message?: string[] }>(
      'POST',
      '/payments/webhooks/stripe',
      payload,
      signature === undefined ? {} : { 'stripe-signature': signature },
    );

  const processed = () => coordinator.journal.entries.filter((e) => e.type === 'dispatched').length;

  it('accepts an event signed by the official library and turns it into payment.captured', async () => {
    await start();
    const payload = succeededEvent();
    const res = await deliver(payload, header(payload));
    expect(res.status).toBe(200);
    await coordinator.waitForIdle();
    const captured = coordinator.journal.signals('payment.captured');
    expect(captured).toHaveLength(1);
    expect(coordinator.journal.completed('partner.saw-captured')).toHaveLength(1);
  });

  it.each([
    ['a one-byte change in the body', (p: string) => [p.replace('3998', '3999'), header(p)]],
    ['a wrong secret', (p: string) => [p, header(p, { secret: 'whsec_wrong' })]],
    ['a timestamp 305 s old', (p: string) => [p, header(p, { timestamp: Math.floor(Date.now() / 1000) - 305 })]],
    [
      'a timestamp 305 s in the future',
      (p: string) => [p, header(p, { timestamp: Math.floor(Date.now() / 1000) + 305 })],
    ],
    ['a header with only v0', (p: string) => [p, header(p, { scheme: 'v0' })]],
    ['a malformed header', (p: string) => [p, 'garbage']],
  ])('rejects %s with 400 and enqueues nothing', async (_case, build) => {
    await start();
    const [payload, signature] = build(succeededEvent());
    const res = await deliver(payload!, signature);
    expect(res.status).toBe(400);
    expect(res.body.message?.[0]).toMatch(/Stripe-Signature|webhook/);
    expect(processed()).toBe(0);
  });

  it('accepts timestamps within 300 s, in the past and in the future', async () => {
    await start();
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 295, now + 295]) {
      const payload = succeededEvent();
      expect((await deliver(payload, header(payload, { timestamp }))).status).toBe(200);
    }
  });

  it('rejects a missing header with 400', async () => {
    await start();
    const res = await deliver(succeededEvent());
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(['Stripe-Signature header is missing']);
    expect(processed()).toBe(0);
  });

  it('accepts a header with two v1 signatures of which one is valid', async () => {
    await start();
    const payload = succeededEvent();
    const valid = header(payload);
    const res = await deliver(payload, `${valid},v1=${'0'.repeat(64)}`);
    expect(res.status).toBe(200);
    const reordered = valid.replace(/,v1=/, `,v1=${'f'.repeat(64)},v1=`);
    expect((await deliver(payload, reordered)).status).toBe(200);
  });

  it('runs an event delivered ten times, concurrently, exactly once', async () => {
    await start();
    const payload = succeededEvent();
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(payload, header(payload))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    await coordinator.waitForIdle();
    expect(coordinator.journal.started('payments.process-event')).toHaveLength(1);
    expect(coordinator.journal.signals('payment.captured')).toHaveLength(1);
  });

  it('acknowledges events it does not act on without enqueuing anything', async () => {
    await start();
    const payload = JSON.stringify({
      id: 'evt_other',
      object: 'event',
      type: 'customer.created',
      data: { object: {} },
    });
    expect((await deliver(payload, header(payload))).status).toBe(200);
    expect(processed()).toBe(0);
  });
});
