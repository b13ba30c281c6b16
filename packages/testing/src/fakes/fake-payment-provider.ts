import { FakeHttpServer, type FakeHttpServerOptions, type FakeReply, type FallbackReason } from './fake-http-server.js';
import { IdempotencyStore } from './idempotency-store.js';
import { compilePathPattern } from './path-pattern.js';
import { paymentIntentEndpoints } from './payment-intent-endpoints.js';
import { refundEndpoints } from './refund-endpoints.js';
import { stripeApiHandler, type StripeCallContext } from './stripe-api-handler.js';
import { stripeFallbackReply } from './stripe-fallback-reply.js';
import { stripeId } from './stripe-id.js';
import type { FakeCharge, FakePaymentIntent, FakeRefund, FakeStripeEvent } from './stripe-objects.js';
import { StripePaymentState, type PendingEvent } from './stripe-payment-state.js';
import { applyWebhookUrl, webhookStatusReply } from './webhook-control-routes.js';
import {
  WebhookSender,
  type WebhookDelivery,
  type WebhookDeliveryStyle,
  type WebhookRetryOptions,
} from './webhook-sender.js';

/**
 * The API key the fake accepts unless told otherwise.
 *
 * @example
 * ```ts
 * new Stripe(DEFAULT_FAKE_STRIPE_API_KEY, { host: '127.0.0.1', port, protocol: 'http' });
 * ```
 */
export const DEFAULT_FAKE_STRIPE_API_KEY = 'sk_test_fake';

/**
 * The webhook signing secret the fake uses unless told otherwise.
 *
 * @example
 * ```ts
 * stripe.webhooks.constructEvent(rawBody, header, DEFAULT_FAKE_WEBHOOK_SECRET);
 * ```
 */
export const DEFAULT_FAKE_WEBHOOK_SECRET = 'whsec_fake_coordinator_signing_secret';

/** Used for events when the request names no `Stripe-Version`: the version `stripe@23.1.0` pins. */
const DEFAULT_API_VERSION = '2026-10-28.endive';

/**
 * Construction options of {@link FakePaymentProvider}.
 *
 * @example
 * ```ts
 * const psp = new FakePaymentProvider({
 *   webhookUrl: `${api.url}/payments/webhooks/stripe`,
 *   webhookRetry: { attempts: 8, baseDelayMs: 50 },
 *   webhookDuplicates: 0.3,
 *   webhookShuffle: 100,
 *   random: seeded(42),
 * });
 * ```
 */
export interface FakePaymentProviderOptions extends Omit<FakeHttpServerOptions, 'name' | 'acceptFormBodies'> {
  /** Secret key callers must present; defaults to {@link DEFAULT_FAKE_STRIPE_API_KEY}. */
  apiKey?: string;
  /** Where webhooks go; can be set later with {@link FakePaymentProvider.setWebhookUrl}. */
  webhookUrl?: string;
  /** Signing secret; defaults to {@link DEFAULT_FAKE_WEBHOOK_SECRET}. */
  webhookSecret?: string;
  /** Retry schedule of failed deliveries; defaults to 8 attempts from 500 ms, doubling. */
  webhookRetry?: WebhookRetryOptions;
  /** How many times every event is delivered (concurrent copies, see `WebhookSenderOptions.copies`); defaults to 1. */
  webhookCopies?: number;
  /** Share (0..1) of events delivered once more. */
  webhookDuplicates?: number;
  /**
   * Largest random delay, in ms, before each delivery starts, so events arrive out of
   * order; 0 (the default) sends them in the order they happened.
   */
  webhookShuffle?: number;
  /** Per-attempt timeout of a delivery; defaults to 10 s. */
  webhookTimeoutMs?: number;
  /** Source of uniform numbers in [0, 1) for webhook duplicates and shuffling; defaults to `Math.random`. */
  random?: () => number;
  /** Clock in epoch ms for `created` timestamps, signatures and idempotency expiry; defaults to `Date.now`. */
  now?: () => number;
}

/**
 * Filter for {@link FakePaymentProvider.countCalls}.
 *
 * @example
 * ```ts
 * const filter: CallFilter = { method: 'POST', path: '/v1/payment_intents/:id/capture' };
 * ```
 */
export interface CallFilter {
  method?: string;
  /** Exact path, or a pattern with `:name` segments. */
  path?: string;
}

/**
 * A fake payment provider that speaks Stripe's wire format for the calls the coordinator
 * makes, so the official `stripe` package works against it unchanged:
 *
 * ```ts
 * new Stripe(psp.apiKey, { host: '127.0.0.1', port: Number(new URL(psp.url).port), protocol: 'http', maxNetworkRetries: 0 });
 * ```
 *
 * - `POST /v1/payment_intents` (`amount`, `currency`, `capture_method`, `confirm`,
 *   `payment_method` with test tokens such as `pm_card_visa` or `pm_card_chargeDeclined`,
 *   `payment_method_types`, `automatic_payment_methods`, `metadata`, …), `GET
 *   /v1/payment_intents/:id`, `GET /v1/payment_intents/search?query=metadata['k']:'v'`,
 *   `POST /v1/payment_intents/:id/confirm | capture | cancel`;
 * - `POST /v1/refunds`, `GET /v1/refunds/:id`, `GET /v1/charges/:id`;
 * - `Authorization: Bearer <apiKey>` on every `/v1` call, unknown parameters refused,
 *   errors as Stripe sends them (so the package raises `StripeInvalidRequestError`,
 *   `StripeCardError`, `StripeIdempotencyError`, `StripeAuthenticationError`,
 *   `StripeAPIError`), injected faults included;
 * - `Idempotency-Key` on POSTs with Stripe's semantics, kept 24 hours;
 * - webhooks (`payment_intent.succeeded`, `payment_intent.amount_capturable_updated`,
 *   `payment_intent.payment_failed`, `payment_intent.canceled`, `charge.refunded`) signed
 *   like Stripe's, retried with backoff, optionally duplicated (or delivered N times at
 *   once, see {@link FakePaymentProvider.setWebhookDelivery}) and shuffled; never subject
 *   to the inbound fault plan;
 * - control routes `/__health`, `/__calls`, `/__faults` from {@link FakeHttpServer}, plus
 *   `GET /__webhooks` (`{ url, pending, deliveries }`) and `POST /__webhooks` `{ url }`
 *   (`null` removes it).
 *
 * @example
 * ```ts
 * const psp = new FakePaymentProvider({ webhookRetry: { baseDelayMs: 50 } });
 * await psp.start();
 * psp.setWebhookUrl(`${api.url}/payments/webhooks/stripe`);
 * // ...run the code under test with a Stripe client pointed at psp.url...
 * await psp.waitForWebhooksDrained();
 * expect(psp.paymentIntents()[0]?.status).toBe('succeeded');
 * await psp.close();
 * ```
 */
export class FakePaymentProvider extends FakeHttpServer {
  /** The secret key callers must present. */
  readonly apiKey: string;
  /** The secret webhooks are signed with. */
  readonly webhookSecret: string;
  private readonly now: () => number;
  private readonly state: StripePaymentState;
  private readonly webhooks: WebhookSender;
  private readonly eventLog: FakeStripeEvent[] = [];

  constructor(options: FakePaymentProviderOptions = {}) {
    const {
      apiKey = DEFAULT_FAKE_STRIPE_API_KEY,
      webhookUrl,
      webhookSecret = DEFAULT_FAKE_WEBHOOK_SECRET,
      webhookRetry,
      webhookCopies,
      webhookDuplicates,
      webhookShuffle,
      webhookTimeoutMs,
      random,
      now = Date.now,
      ...serverOptions
    } = options;
    super({ ...serverOptions, name: 'psp', acceptFormBodies: true });
    this.apiKey = apiKey;
    this.webhookSecret = webhookSecret;
    this.now = now;
    this.state = new StripePaymentState(now);
    this.webhooks = new WebhookSender({
      secret: webhookSecret,
      url: webhookUrl,
      retry: webhookRetry,
      copies: webhookCopies,
      duplicates: webhookDuplicates,
      shuffleMs: webhookShuffle,
      timeoutMs: webhookTimeoutMs,
      random,
      now,
    });
    const lookup = { charge: (id: string) => this.state.charge(id), intent: (id: string) => this.state.intent(id) };

    this.route('GET', '/__webhooks', () => webhookStatusReply(this.webhooks), { control: true });
    this.route('POST', '/__webhooks', (req) => applyWebhookUrl(this.webhooks, req.body), { control: true });
    const deps = {
      apiKey,
      idempotency: new IdempotencyStore({ now }),
      emit: (event: PendingEvent, context: StripeCallContext) => this.emitEvent(event, context),
    };
    for (const endpoint of [...paymentIntentEndpoints(this.state, lookup), ...refundEndpoints(this.state, lookup)]) {
      this.route(endpoint.method, endpoint.path, stripeApiHandler(endpoint, deps));
    }
  }

  /**
   * The webhook endpoint, or undefined while none is set.
   *
   * @example
   * ```ts
   * psp.webhookUrl; // 'http://127.0.0.1:3000/payments/webhooks/stripe'
   * ```
   */
  get webhookUrl(): string | undefined {
    return this.webhooks.url;
  }

  /**
   * Sets the webhook endpoint for events from now on (undefined removes it). Events
   * created while no endpoint is set are kept in {@link FakePaymentProvider.events} but
   * not delivered, as on Stripe.
   *
   * @throws TypeError for a URL that is not http(s).
   * @example
   * ```ts
   * psp.setWebhookUrl(`${api.url}/payments/webhooks/stripe`);
   * ```
   */
  setWebhookUrl(url: string | undefined): void {
    this.webhooks.setUrl(url);
  }

  /**
   * Changes how events from now on are delivered (copies, duplicates, shuffle), for a
   * redelivery storm in the middle of a run; fields left out keep their value.
   *
   * @throws RangeError for a value out of range, leaving the style unchanged.
   * @example
   * ```ts
   * psp.setWebhookDelivery({ copies: 10, shuffleMs: 50 }); // every event ten times, concurrently, out of order
   * psp.setWebhookDelivery({ copies: 1, shuffleMs: 0 });
   * ```
   */
  setWebhookDelivery(style: WebhookDeliveryStyle): void {
    this.webhooks.configure(style);
  }

  /**
   * Copies of every PaymentIntent, oldest first.
   *
   * @example
   * ```ts
   * expect(psp.paymentIntents().map((i) => i.status)).toEqual(['requires_capture']);
   * ```
   */
  paymentIntents(): FakePaymentIntent[] {
    return this.state.intents();
  }

  /**
   * Copies of every charge, oldest first (a declined confirmation makes a failed charge).
   *
   * @example
   * ```ts
   * expect(psp.charges()[0]?.amount_refunded).toBe(500);
   * ```
   */
  charges(): FakeCharge[] {
    return this.state.charges();
  }

  /**
   * Copies of every refund, oldest first.
   *
   * @example
   * ```ts
   * expect(psp.refunds()).toHaveLength(1);
   * ```
   */
  refunds(): FakeRefund[] {
    return this.state.refunds();
  }

  /**
   * Every event created, oldest first, delivered or not.
   *
   * @example
   * ```ts
   * expect(psp.events().map((e) => e.type)).toEqual(['payment_intent.amount_capturable_updated', 'payment_intent.succeeded']);
   * ```
   */
  events(): FakeStripeEvent[] {
    return this.eventLog.map((event) => structuredClone(event));
  }

  /**
   * Every webhook delivery attempt so far, in the order they finished.
   *
   * @example
   * ```ts
   * expect(psp.webhookDeliveries().map((d) => d.status)).toEqual([500, 200]);
   * ```
   */
  webhookDeliveries(): WebhookDelivery[] {
    return this.webhooks.deliveries();
  }

  /**
   * Resolves once every webhook was delivered or given up on; rejects after `timeoutMs`
   * (default 10 s) or on close.
   *
   * @example
   * ```ts
   * await psp.waitForWebhooksDrained({ timeoutMs: 5_000 });
   * ```
   */
  waitForWebhooksDrained(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.webhooks.waitForDrained(options);
  }

  /**
   * Subscribes to webhook delivery attempts as they finish.
   *
   * @returns a function that unsubscribes.
   * @example
   * ```ts
   * const stop = psp.onWebhookDelivery((d) => console.error(d.type, d.status));
   * ```
   */
  onWebhookDelivery(listener: (delivery: WebhookDelivery) => void): () => void {
    this.webhooks.on('delivery', listener);
    return () => this.webhooks.off('delivery', listener);
  }

  /**
   * How many recorded calls match, e.g. to prove an idempotent retry reached the fake.
   *
   * @example
   * ```ts
   * psp.countCalls({ method: 'POST', path: '/v1/payment_intents' }); // 2
   * ```
   */
  countCalls(filter: CallFilter = {}): number {
    const method = filter.method?.toUpperCase();
    const matchPath = filter.path === undefined ? undefined : compilePathPattern(filter.path);
    return this.calls.filter(
      (call) => (!method || call.method === method) && (!matchPath || matchPath(call.path) !== undefined),
    ).length;
  }

  /**
   * Closes the server and stops webhook deliveries and their timers.
   *
   * @example
   * ```ts
   * afterEach(() => psp.close());
   * ```
   */
  override async close(): Promise<void> {
    await Promise.all([super.close(), this.webhooks.close()]);
  }

  protected override fallbackReply(reason: FallbackReason, reply: FakeReply): FakeReply {
    return stripeFallbackReply(reason, reply);
  }

  private emitEvent(pending: PendingEvent, context: StripeCallContext): void {
    const event: FakeStripeEvent = {
      id: stripeId('evt'),
      object: 'event',
      api_version: context.apiVersion ?? DEFAULT_API_VERSION,
      created: Math.floor(this.now() / 1000),
      data: { object: pending.object },
      livemode: false,
      pending_webhooks: this.webhooks.url === undefined ? 0 : 1,
      request: { id: context.requestId, idempotency_key: context.idempotencyKey ?? null },
      type: pending.type,
    };
    this.eventLog.push(event);
    this.webhooks.send(event);
  }
}
