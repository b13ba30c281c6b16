import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Stripe from 'stripe';
import {
  DEFAULT_FAKE_STRIPE_API_KEY,
  FakePaymentProvider,
  type FakePaymentProviderOptions,
} from './fake-payment-provider.js';
import type { FakeCharge, FakePaymentIntent } from './stripe-objects.js';

interface Receiver {
  url: string;
  /** Events whose signature verified, in arrival order. */
  events: Stripe.Event[];
  /** Status answered to each request, in arrival order. */
  answered: number[];
}

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function openProvider(
  options: FakePaymentProviderOptions = {},
): Promise<{ psp: FakePaymentProvider; stripe: Stripe }> {
  const psp = new FakePaymentProvider({ webhookRetry: { attempts: 5, baseDelayMs: 10 }, ...options });
  closers.push(() => psp.close());
  const url = new URL(await psp.start());
  const stripe = new Stripe(psp.apiKey, { host: '127.0.0.1', port: url.port, protocol: 'http', maxNetworkRetries: 0 });
  return { psp, stripe };
}

/** A webhook endpoint that verifies signatures the way the payments extension does. */
async function startReceiver(secret: string, answer: (request: number) => number = () => 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', events: [], answered: [] };
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let status = answer(receiver.answered.length + 1);
      try {
        const event = Stripe.webhooks.constructEvent(
          Buffer.concat(chunks),
          req.headers['stripe-signature'] ?? '',
          secret,
        );
        if (status < 300) receiver.events.push(event);
      } catch {
        status = 400;
      }
      receiver.answered.push(status);
      res.writeHead(status).end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/webhooks/stripe`;
  return receiver;
}

/** Resolves with what a Stripe call threw; fails the test when it did not throw. */
async function thrown(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error('expected the Stripe call to fail');
}

const card = { payment_method_types: ['card'] };

/** mulberry32: a tiny seeded generator, so duplicate and shuffle draws repeat run to run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('FakePaymentProvider', () => {
  describe('payment intents with the stripe package', () => {
    it('authorises with confirm + manual capture, then captures, with signed webhooks for both', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);

      const intent = await stripe.paymentIntents.create({
        amount: 1250,
        currency: 'eur',
        capture_method: 'manual',
        confirm: true,
        payment_method: 'pm_card_visa',
        metadata: { orderId: 'A-1' },
        ...card,
      });
      expect(intent).toMatchObject({
        object: 'payment_intent',
        amount: 1250,
        amount_capturable: 1250,
        amount_received: 0,
        currency: 'eur',
        status: 'requires_capture',
        capture_method: 'manual',
        metadata: { orderId: 'A-1' },
        livemode: false,
        last_payment_error: null,
      });
      expect(intent.id).toMatch(/^pi_\w{24}$/);
      expect(intent.latest_charge).toMatch(/^ch_/);
      // A test token becomes a PaymentMethod of its own, as on Stripe.
      expect(intent.payment_method).toMatch(/^pm_\w{24}$/);
      expect(intent.created).toBeGreaterThan(1_700_000_000);
      expect(intent.created).toBeLessThan(Date.now() / 1000 + 5);
      expect(intent.lastResponse.requestId).toMatch(/^req_/);

      const captured = await stripe.paymentIntents.capture(intent.id);
      expect(captured).toMatchObject({
        id: intent.id,
        status: 'succeeded',
        amount_received: 1250,
        amount_capturable: 0,
      });
      expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'succeeded' });

      await psp.waitForWebhooksDrained();
      expect(receiver.events.map((e) => e.type)).toEqual([
        'payment_intent.amount_capturable_updated',
        'payment_intent.succeeded',
      ]);
      const [authorised, succeeded] = receiver.events;
      expect(authorised).toMatchObject({ object: 'event', livemode: false, pending_webhooks: 1 });
      expect(authorised?.id).toMatch(/^evt_/);
      expect(authorised?.data.object).toMatchObject({ id: intent.id, status: 'requires_capture' });
      expect(succeeded?.data.object).toMatchObject({ id: intent.id, status: 'succeeded' });
      expect(succeeded?.request).toEqual({ id: captured.lastResponse.requestId, idempotency_key: expect.any(String) });
      expect(psp.events().map((e) => e.id)).toEqual(receiver.events.map((e) => e.id));
    });

    it('refuses to capture twice like Stripe: 400 payment_intent_unexpected_state', async () => {
      const { stripe } = await openProvider();
      const intent = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        capture_method: 'manual',
        confirm: true,
        payment_method: 'pm_card_visa',
        ...card,
      });
      await stripe.paymentIntents.capture(intent.id);
      const err = await thrown(stripe.paymentIntents.capture(intent.id));
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
      expect(err.message).toMatch(/status of succeeded/);
      expect(err.payment_intent?.status).toBe('succeeded');
    });

    it('succeeds at once with confirm + automatic capture', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);
      const intent = await stripe.paymentIntents.create({
        amount: 800,
        currency: 'EUR',
        capture_method: 'automatic',
        confirm: true,
        payment_method: 'pm_card_mastercard',
        ...card,
      });
      expect(intent).toMatchObject({ status: 'succeeded', amount_received: 800, currency: 'eur' });
      await psp.waitForWebhooksDrained();
      expect(receiver.events.map((e) => e.type)).toEqual(['payment_intent.succeeded']);
      expect(psp.charges()).toEqual([
        expect.objectContaining({
          id: intent.latest_charge,
          captured: true,
          amount_captured: 800,
          status: 'succeeded',
        }),
      ]);
    });

    it('creates unconfirmed intents, confirms them later, and expands latest_charge', async () => {
      const { stripe } = await openProvider();
      const bare = await stripe.paymentIntents.create({ amount: 600, currency: 'gbp', ...card });
      expect(bare).toMatchObject({ status: 'requires_payment_method', latest_charge: null, payment_method: null });
      expect(bare.capture_method).toBe('automatic_async');

      const withMethod = await stripe.paymentIntents.create({
        amount: 600,
        currency: 'gbp',
        payment_method: 'pm_card_visa',
        ...card,
      });
      expect(withMethod.status).toBe('requires_confirmation');
      const confirmed = await stripe.paymentIntents.confirm(withMethod.id);
      expect(confirmed.status).toBe('succeeded');

      const expanded = await stripe.paymentIntents.retrieve(confirmed.id, { expand: ['latest_charge'] });
      const charge = expanded.latest_charge as unknown as FakeCharge;
      expect(charge).toMatchObject({ object: 'charge', id: confirmed.latest_charge, payment_intent: confirmed.id });
      const refused = await thrown(stripe.paymentIntents.retrieve(confirmed.id, { expand: ['customer'] }));
      expect(refused).toMatchObject({ statusCode: 400, param: 'expand' });
    });

    it('asks for a return_url when automatic payment methods may redirect, as Stripe does', async () => {
      const { psp, stripe } = await openProvider();
      const refused = await thrown(
        stripe.paymentIntents.create({ amount: 500, currency: 'eur', confirm: true, payment_method: 'pm_card_visa' }),
      );
      expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(refused.message).toMatch(/return_url/);
      expect(psp.paymentIntents()).toEqual([]);

      const noRedirects = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        confirm: true,
        payment_method: 'pm_card_visa',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      });
      expect(noRedirects.status).toBe('succeeded');
    });

    it('cancels an authorisation and refuses to cancel a succeeded intent', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);
      const intent = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        capture_method: 'manual',
        confirm: true,
        payment_method: 'pm_card_visa',
        ...card,
      });
      const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'requested_by_customer' });
      expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
      expect(await thrown(stripe.paymentIntents.cancel(intent.id))).toMatchObject({
        code: 'payment_intent_unexpected_state',
      });
      await psp.waitForWebhooksDrained();
      expect(receiver.events.map((e) => e.type)).toEqual([
        'payment_intent.amount_capturable_updated',
        'payment_intent.canceled',
      ]);
    });
  });

  describe('search', () => {
    it("finds intents by metadata['key']:'value' in Stripe's search result shape", async () => {
      const { stripe } = await openProvider();
      const a = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        metadata: { orderId: 'A-1' },
        ...card,
      });
      await stripe.paymentIntents.create({ amount: 500, currency: 'eur', metadata: { orderId: 'B-2' }, ...card });

      const found = await stripe.paymentIntents.search({ query: "metadata['orderId']:'A-1'" });
      expect(found).toMatchObject({ object: 'search_result', has_more: false, url: '/v1/payment_intents/search' });
      expect(found.data.map((i) => i.id)).toEqual([a.id]);
      const none = await stripe.paymentIntents.search({ query: 'metadata["orderId"]:"C-3"' });
      expect(none.data).toEqual([]);
    });

    it('pages with limit and next_page, and refuses other query forms naming query', async () => {
      const { stripe } = await openProvider();
      for (let i = 0; i < 3; i++) {
        await stripe.paymentIntents.create({ amount: 500, currency: 'eur', metadata: { batch: 'x' }, ...card });
      }
      const first = await stripe.paymentIntents.search({ query: "metadata['batch']:'x'", limit: 2 });
      expect(first.data).toHaveLength(2);
      expect(first.has_more).toBe(true);
      const rest = await stripe.paymentIntents.search({
        query: "metadata['batch']:'x'",
        limit: 2,
        page: first.next_page ?? undefined,
      });
      expect(rest.data).toHaveLength(1);
      expect(rest.has_more).toBe(false);

      const refused = await thrown(stripe.paymentIntents.search({ query: "status:'succeeded'" }));
      expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(refused.param).toBe('query');
    });
  });

  describe('refunds', () => {
    async function capturedIntent(stripe: Stripe, amount = 1000): Promise<Stripe.PaymentIntent> {
      return stripe.paymentIntents.create({
        amount,
        currency: 'eur',
        confirm: true,
        payment_method: 'pm_card_visa',
        metadata: { orderId: 'R-1' },
        ...card,
      });
    }

    it('refunds part, then the rest, with charge.refunded webhooks carrying the charge', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);
      const intent = await capturedIntent(stripe);

      const part = await stripe.refunds.create({
        payment_intent: intent.id,
        amount: 300,
        reason: 'requested_by_customer',
      });
      expect(part).toMatchObject({
        object: 'refund',
        amount: 300,
        status: 'succeeded',
        currency: 'eur',
        payment_intent: intent.id,
        charge: intent.latest_charge,
        reason: 'requested_by_customer',
      });
      expect(part.id).toMatch(/^re_/);
      const rest = await stripe.refunds.create({ payment_intent: intent.id });
      expect(rest.amount).toBe(700);
      expect(await stripe.refunds.retrieve(part.id)).toMatchObject({ id: part.id, amount: 300 });

      await psp.waitForWebhooksDrained();
      const refunded = receiver.events.filter((e) => e.type === 'charge.refunded');
      expect(refunded.map((e) => e.data.object)).toEqual([
        expect.objectContaining({
          object: 'charge',
          amount_refunded: 300,
          refunded: false,
          metadata: { orderId: 'R-1' },
        }),
        expect.objectContaining({ object: 'charge', amount_refunded: 1000, refunded: true }),
      ]);
      expect(psp.refunds().map((r) => r.amount)).toEqual([300, 700]);
    });

    it('refuses more than remains, and anything once fully refunded, like Stripe', async () => {
      const { psp, stripe } = await openProvider();
      const intent = await capturedIntent(stripe);
      const tooMuch = await thrown(stripe.refunds.create({ payment_intent: intent.id, amount: 1001 }));
      expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });

      await stripe.refunds.create({ payment_intent: intent.id });
      const again = await thrown(stripe.refunds.create({ payment_intent: intent.id }));
      expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
      expect(psp.refunds()).toHaveLength(1);
    });

    it('refuses to refund an authorisation that was never captured', async () => {
      const { stripe } = await openProvider();
      const intent = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        capture_method: 'manual',
        confirm: true,
        payment_method: 'pm_card_visa',
        ...card,
      });
      const err = await thrown(stripe.refunds.create({ payment_intent: intent.id }));
      expect(err).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state', param: 'payment_intent' });
      const missing = await thrown(stripe.refunds.create({ payment_intent: 'pi_missing' }));
      expect(missing).toMatchObject({ code: 'resource_missing', param: 'payment_intent' });
    });
  });

  describe('idempotency', () => {
    it('replays the stored response for the same key and parameters: no new object, no new webhook', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);
      const params = {
        amount: 900,
        currency: 'eur',
        confirm: true,
        payment_method: 'pm_card_visa',
        metadata: { orderId: 'I-1' },
        ...card,
      };
      const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-I-1' });
      const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-I-1' });

      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
      expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(psp.paymentIntents()).toHaveLength(1);
      expect(psp.countCalls({ method: 'POST', path: '/v1/payment_intents' })).toBe(2);
      await psp.waitForWebhooksDrained();
      expect(psp.events()).toHaveLength(1);
      expect(receiver.events).toHaveLength(1);
    });

    it('answers idempotency_error when a key is reused with other parameters or another endpoint', async () => {
      const { psp, stripe } = await openProvider();
      await stripe.paymentIntents.create({ amount: 900, currency: 'eur', ...card }, { idempotencyKey: 'k-1' });
      const changed = await thrown(
        stripe.paymentIntents.create({ amount: 901, currency: 'eur', ...card }, { idempotencyKey: 'k-1' }),
      );
      expect(changed).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(changed).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
      const elsewhere = await thrown(stripe.refunds.create({ payment_intent: 'pi_x' }, { idempotencyKey: 'k-1' }));
      expect(elsewhere).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(psp.paymentIntents()).toHaveLength(1);
    });

    it('stores nothing for a request refused by validation, so a corrected retry may reuse the key', async () => {
      const { psp, stripe } = await openProvider();
      const bad = await thrown(
        stripe.paymentIntents.create({ amount: 0, currency: 'eur', ...card }, { idempotencyKey: 'k-2' }),
      );
      expect(bad).toMatchObject({ code: 'amount_too_small', param: 'amount' });
      const good = await stripe.paymentIntents.create(
        { amount: 500, currency: 'eur', ...card },
        { idempotencyKey: 'k-2' },
      );
      expect(good.status).toBe('requires_payment_method');
      expect(psp.paymentIntents()).toHaveLength(1);
    });

    it('replays a card decline too: the request ran, so its answer is stored', async () => {
      const { psp, stripe } = await openProvider();
      const params = { amount: 500, currency: 'eur', confirm: true, payment_method: 'pm_card_chargeDeclined', ...card };
      const first = await thrown(stripe.paymentIntents.create(params, { idempotencyKey: 'k-3' }));
      const again = await thrown(stripe.paymentIntents.create(params, { idempotencyKey: 'k-3' }));
      expect(again).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(again.payment_intent?.id).toBe(first.payment_intent?.id);
      expect(again.headers?.['idempotent-replayed']).toBe('true');
      expect(psp.paymentIntents()).toHaveLength(1);
      expect(psp.events()).toHaveLength(1);
    });
  });

  describe('errors', () => {
    it('declines pm_card_chargeDeclined with a StripeCardError and a payment_failed webhook', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);
      const err = await thrown(
        stripe.paymentIntents.create({
          amount: 500,
          currency: 'eur',
          confirm: true,
          payment_method: 'pm_card_chargeDeclined',
          metadata: { orderId: 'D-1' },
          ...card,
        }),
      );
      expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
      const intent = err.payment_intent;
      expect(intent).toMatchObject({ status: 'requires_payment_method', metadata: { orderId: 'D-1' } });
      expect(intent?.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined' });
      expect(intent?.latest_charge).toMatch(/^ch_/);
      expect(psp.charges()[0]).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });

      await psp.waitForWebhooksDrained();
      expect(receiver.events.map((e) => e.type)).toEqual(['payment_intent.payment_failed']);
      const failed = receiver.events[0]?.data.object as unknown as FakePaymentIntent;
      expect(failed.last_payment_error?.decline_code).toBe('generic_decline');

      // Retrying with a good card on the same intent goes through.
      const retried = await stripe.paymentIntents.confirm(intent?.id ?? '', { payment_method: 'pm_card_visa' });
      expect(retried.status).toBe('succeeded');
    });

    it('answers 401 to a wrong or missing key', async () => {
      const { psp } = await openProvider();
      const wrong = new Stripe('sk_test_wrong_key_000000', {
        host: '127.0.0.1',
        port: new URL(psp.url).port,
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      const err = await thrown(wrong.paymentIntents.create({ amount: 500, currency: 'eur', ...card }));
      expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(err.statusCode).toBe(401);
      expect(err.message).not.toContain('sk_test_wrong_key_000000');

      const res = await fetch(`${psp.url}/v1/payment_intents/pi_1`);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { type: 'invalid_request_error', message: expect.stringMatching(/did not provide an API key/) },
      });
      const basic = await fetch(`${psp.url}/v1/payment_intents/pi_1`, {
        headers: { authorization: `Basic ${Buffer.from(`${DEFAULT_FAKE_STRIPE_API_KEY}:`).toString('base64')}` },
      });
      expect(basic.status).toBe(404);
      expect(psp.paymentIntents()).toEqual([]);
    });

    it.each([
      ['amount', { currency: 'eur' }, 'parameter_missing'],
      ['amount', { amount: 'ten', currency: 'eur' }, 'parameter_invalid_integer'],
      ['amount', { amount: 20, currency: 'usd' }, 'amount_too_small'],
      ['currency', { amount: 500 }, 'parameter_missing'],
      ['currency', { amount: 500, currency: 'euro' }, undefined],
      ['capture_method', { amount: 500, currency: 'eur', capture_method: 'later' }, undefined],
      ['confirm', { amount: 500, currency: 'eur', confirm: 'yes' }, undefined],
      ['payment_method', { amount: 500, currency: 'eur', payment_method: 'pm_nope' }, 'resource_missing'],
      ['shipping_rate', { amount: 500, currency: 'eur', shipping_rate: 'x' }, 'parameter_unknown'],
    ])('answers 400 naming %s for %j', async (param, params, code) => {
      const { psp, stripe } = await openProvider();
      const err = await thrown(stripe.paymentIntents.create(params as unknown as Stripe.PaymentIntentCreateParams));
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err.statusCode).toBe(400);
      expect(err.param).toBe(param);
      expect(err.code).toBe(code);
      expect(psp.paymentIntents()).toEqual([]);
    });

    it('answers 404 resource_missing for unknown ids and unknown URLs', async () => {
      const { psp, stripe } = await openProvider();
      const err = await thrown(stripe.paymentIntents.retrieve('pi_missing'));
      expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing' });
      expect(await thrown(stripe.refunds.retrieve('re_missing'))).toMatchObject({ statusCode: 404 });

      const res = await fetch(`${psp.url}/v1/customers`, { headers: { authorization: `Bearer ${psp.apiKey}` } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { type: 'invalid_request_error', message: expect.any(String) } });
    });

    it('answers injected faults with a Stripe api_error, and is steered over /__faults', async () => {
      const { psp, stripe } = await openProvider();
      const plan = await fetch(`${psp.url}/__faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ failNext: 1, failStatus: 500 }),
      });
      expect(await plan.json()).toEqual({ failNext: 1, failStatus: 500 });

      const err = await thrown(stripe.paymentIntents.create({ amount: 500, currency: 'eur', ...card }));
      expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(err.statusCode).toBe(500);
      expect(err.rawType).toBe('api_error');
      expect(psp.calls.map((c) => [c.status, c.fault])).toEqual([[500, 'fail']]);

      const after = await stripe.paymentIntents.create({ amount: 500, currency: 'eur', ...card });
      expect(after.status).toBe('requires_payment_method');
    });
  });

  describe('the ledger and control routes', () => {
    it('records form bodies as nested parameters', async () => {
      const { psp, stripe } = await openProvider();
      await stripe.paymentIntents.create({ amount: 500, currency: 'eur', metadata: { orderId: 'L-1' }, ...card });
      const [call] = await psp.waitForCalls(1, { method: 'POST', path: '/v1/payment_intents' });
      expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(call?.body).toEqual({
        amount: '500',
        currency: 'eur',
        metadata: { orderId: 'L-1' },
        payment_method_types: ['card'],
      });
      expect(psp.countCalls({ path: '/v1/payment_intents/:id' })).toBe(0);
    });

    it('sets the webhook URL over POST /__webhooks and reports deliveries on GET, retrying a 500', async () => {
      const { psp, stripe } = await openProvider();
      const receiver = await startReceiver(psp.webhookSecret, (n) => (n === 1 ? 500 : 200));
      const set = await fetch(`${psp.url}/__webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url }),
      });
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ url: receiver.url });
      expect(psp.webhookUrl).toBe(receiver.url);

      await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        confirm: true,
        payment_method: 'pm_card_visa',
        ...card,
      });
      await psp.waitForWebhooksDrained();
      expect(receiver.answered).toEqual([500, 200]);
      expect(receiver.events.map((e) => e.type)).toEqual(['payment_intent.succeeded']);

      const status = (await (await fetch(`${psp.url}/__webhooks`)).json()) as {
        url: string;
        pending: number;
        deliveries: { attempt: number; status: number }[];
      };
      expect(status.url).toBe(receiver.url);
      expect(status.pending).toBe(0);
      expect(status.deliveries.map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 200],
      ]);

      const bad = await fetch(`${psp.url}/__webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 42 }),
      });
      expect(bad.status).toBe(400);
      const cleared = await fetch(`${psp.url}/__webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: null }),
      });
      expect(await cleared.json()).toEqual({ url: null });
      expect(psp.calls.every((c) => c.path.startsWith('/v1/'))).toBe(true);
    });

    it('duplicates and shuffles deliveries from a seeded random, the same events on every run', async () => {
      const runs: number[][] = [];
      for (let run = 0; run < 2; run++) {
        const { psp, stripe } = await openProvider({ webhookDuplicates: 0.5, webhookShuffle: 30, random: seeded(3) });
        const receiver = await startReceiver(psp.webhookSecret);
        psp.setWebhookUrl(receiver.url);
        for (let i = 0; i < 6; i++) {
          await stripe.paymentIntents.create({
            amount: 500 + i,
            currency: 'eur',
            confirm: true,
            payment_method: 'pm_card_visa',
            ...card,
          });
        }
        await psp.waitForWebhooksDrained();
        const ids = psp.events().map((e) => e.id);
        const twice = psp
          .webhookDeliveries()
          .filter((d) => d.copy === 2)
          .map((d) => ids.indexOf(d.eventId))
          .sort();
        expect(twice.length).toBeGreaterThan(0);
        expect(receiver.events).toHaveLength(6 + twice.length);
        expect(new Set(receiver.events.map((e) => e.id))).toEqual(new Set(ids));
        runs.push(twice);
      }
      expect(runs[1]).toEqual(runs[0]);
    });

    it('delivers each event ten times at once after setWebhookDelivery, and once again after it is undone', async () => {
      const { psp, stripe } = await openProvider({ webhookCopies: 2 });
      const receiver = await startReceiver(psp.webhookSecret);
      psp.setWebhookUrl(receiver.url);
      const create = () =>
        stripe.paymentIntents.create({
          amount: 700,
          currency: 'eur',
          confirm: true,
          payment_method: 'pm_card_visa',
          ...card,
        });
      await create();
      await psp.waitForWebhooksDrained();
      expect(receiver.events).toHaveLength(2 * psp.events().length);

      psp.setWebhookDelivery({ copies: 10, shuffleMs: 20 });
      await create();
      await psp.waitForWebhooksDrained();
      const stormed = psp.events().at(-1)!;
      expect(receiver.events.filter((e) => e.id === stormed.id)).toHaveLength(10);

      psp.setWebhookDelivery({ copies: 1, shuffleMs: 0 });
      await create();
      await psp.waitForWebhooksDrained();
      expect(receiver.events.filter((e) => e.id === psp.events().at(-1)!.id)).toHaveLength(1);
      expect(() => psp.setWebhookDelivery({ copies: 0 })).toThrow(RangeError);
    });

    it('keeps events made without a webhook URL but does not deliver them', async () => {
      const { psp, stripe } = await openProvider();
      await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        confirm: true,
        payment_method: 'pm_card_visa',
        ...card,
      });
      await psp.waitForWebhooksDrained();
      expect(psp.events()).toEqual([
        expect.objectContaining({ type: 'payment_intent.succeeded', pending_webhooks: 0 }),
      ]);
      expect(psp.webhookDeliveries()).toEqual([]);
    });

    it('closes with webhook retries still pending', async () => {
      const { psp, stripe } = await openProvider({ webhookRetry: { attempts: 8, baseDelayMs: 60_000 } });
      const receiver = await startReceiver(psp.webhookSecret, () => 500);
      psp.setWebhookUrl(receiver.url);
      const firstAttempt = new Promise<void>((resolve) => {
        const stop = psp.onWebhookDelivery(() => {
          stop();
          resolve();
        });
      });
      await stripe.paymentIntents.create({
        amount: 500,
        currency: 'eur',
        confirm: true,
        payment_method: 'pm_card_visa',
        ...card,
      });
      await firstAttempt;
      const drained = psp.waitForWebhooksDrained({ timeoutMs: 120_000 });
      await psp.close();
      await expect(drained).rejects.toThrow(/closed/);
    });
  });
});
