import { EventEmitter } from 'node:events';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signWebhookPayload } from './webhook-signature.js';

/**
 * How a failed delivery is retried: attempt `n` failing waits
 * `min(maxDelayMs, baseDelayMs * 2^(n-1))` before attempt `n + 1`.
 *
 * @example
 * ```ts
 * const fast: WebhookRetryOptions = { attempts: 8, baseDelayMs: 50 }; // for tests
 * ```
 */
export interface WebhookRetryOptions {
  /** Attempts per delivery, the first included; defaults to 8. */
  attempts?: number;
  /** Wait after the first failure; defaults to 500 ms. */
  baseDelayMs?: number;
  /** Longest wait between attempts; defaults to 30 s. */
  maxDelayMs?: number;
}

/**
 * Options of {@link WebhookSender}.
 *
 * @example
 * ```ts
 * const options: WebhookSenderOptions = { secret: 'whsec_fake', url: 'http://127.0.0.1:3000/payments/webhooks/stripe', duplicates: 0.2, shuffleMs: 100 };
 * ```
 */
export interface WebhookSenderOptions {
  /** Endpoint secret the signatures are made with. */
  secret: string;
  /** Where events go; without one, events are not delivered (see {@link WebhookSender.setUrl}). */
  url?: string;
  retry?: WebhookRetryOptions;
  /**
   * How many times every event is delivered; defaults to 1. The copies are scheduled
   * together, each with its own shuffle delay and retries, so with a small `shuffleMs`
   * they reach the receiver concurrently: a storm of redeliveries.
   */
  copies?: number;
  /** Share (0..1) of events delivered once more than `copies`, as real providers sometimes do. */
  duplicates?: number;
  /** Each delivery starts after a random 0..shuffleMs ms, so events arrive out of order. */
  shuffleMs?: number;
  /**
   * Uniform numbers in [0, 1) for the duplicate and shuffle draws; defaults to
   * `Math.random`. Per event, one draw decides the duplicate (only when `duplicates > 0`),
   * then one draw per copy picks its delay (only when `shuffleMs > 0`).
   */
  random?: () => number;
  /** Clock in epoch ms for signature timestamps; defaults to `Date.now`. */
  now?: () => number;
  /** Gives up on one attempt after this long; defaults to 10 s. */
  timeoutMs?: number;
}

/**
 * How events are delivered: the part of {@link WebhookSenderOptions} that
 * {@link WebhookSender.configure} can change while the sender runs.
 *
 * @example
 * ```ts
 * const storm: WebhookDeliveryStyle = { copies: 10, shuffleMs: 50 }; // ten concurrent copies, out of order
 * ```
 */
export type WebhookDeliveryStyle = Pick<WebhookSenderOptions, 'copies' | 'duplicates' | 'shuffleMs'>;

/**
 * What a webhook event must have for the sender: the rest is sent as it is.
 *
 * @example
 * ```ts
 * const event: WebhookEvent = { id: 'evt_1', type: 'payment_intent.succeeded' };
 * ```
 */
export interface WebhookEvent {
  id: string;
  type: string;
}

/**
 * One delivery attempt, recorded when it is over.
 *
 * @example
 * ```ts
 * const [first] = psp.webhookDeliveries();
 * first.status; // 500
 * first.attempt; // 1
 * ```
 */
export interface WebhookDelivery {
  eventId: string;
  type: string;
  /** Which copy of the event: 1, then 2, … when it is delivered more than once (`copies`, `duplicates`). */
  copy: number;
  /** 1 for the first try of this copy, 2 for its first retry, … */
  attempt: number;
  /** Order in which attempts were started, from 1 across all events: the order the receiver was called. */
  sequence: number;
  url: string;
  /** Status the receiver answered; absent after a network error or timeout. */
  status?: number;
  /** Why the attempt failed without a status. */
  error?: string;
  /** Whether the receiver answered 2xx. */
  ok: boolean;
  /** How long the attempt waited before it started (shuffle or backoff). */
  delayMs: number;
  /** When the attempt started, as an ISO timestamp. */
  at: string;
  durationMs: number;
}

/**
 * Events of a {@link WebhookSender}: `delivery` fires as each attempt is recorded.
 *
 * @example
 * ```ts
 * sender.on('delivery', (d) => console.error(d.type, d.status ?? d.error));
 * ```
 */
export interface WebhookSenderEvents {
  delivery: [delivery: WebhookDelivery];
}

interface Job {
  eventId: string;
  type: string;
  body: string;
  url: URL;
  copy: number;
  attempt: number;
}

type AttemptResult = { status: number } | { error: string };

interface DrainWaiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Delivers webhook events the way a payment provider does: JSON POSTs signed with a
 * `Stripe-Signature` header, retried with exponential backoff on a non-2xx answer or a
 * network error, and, when asked, delivered twice or out of order. Each attempt opens
 * its own connection so `close()` can cut everything at once and no socket outlives it.
 *
 * @example
 * ```ts
 * const sender = new WebhookSender({ secret: 'whsec_fake', url: receiverUrl, retry: { baseDelayMs: 50 } });
 * sender.send({ id: 'evt_1', type: 'payment_intent.succeeded', object: 'event' });
 * await sender.waitForDrained();
 * sender.deliveries(); // [{ eventId: 'evt_1', attempt: 1, status: 200, ok: true, … }]
 * await sender.close();
 * ```
 */
export class WebhookSender extends EventEmitter<WebhookSenderEvents> {
  private readonly secret: string;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private copies = 1;
  private duplicates = 0;
  private shuffleMs = 0;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private target: URL | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<ClientRequest>();
  private readonly log: WebhookDelivery[] = [];
  private readonly drainWaiters = new Set<DrainWaiter>();
  /**
   * Deliveries scheduled and not yet finished with, counted apart from timers and
   * sockets so the gap between a failed attempt and its retry never looks drained.
   */
  private active = 0;
  private started = 0;
  private closed = false;

  constructor(options: WebhookSenderOptions) {
    super();
    const { retry = {} } = options;
    this.secret = options.secret;
    this.attempts = checked('retry.attempts', retry.attempts ?? 8, (v) => Number.isInteger(v) && v >= 1);
    this.baseDelayMs = checked('retry.baseDelayMs', retry.baseDelayMs ?? 500, (v) => v >= 0);
    this.maxDelayMs = checked('retry.maxDelayMs', retry.maxDelayMs ?? 30_000, (v) => v >= 0);
    this.configure(options);
    this.timeoutMs = checked('timeoutMs', options.timeoutMs ?? 10_000, (v) => v > 0);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.setUrl(options.url);
  }

  /**
   * The endpoint events go to, or undefined when none is set.
   *
   * @example
   * ```ts
   * sender.url; // 'http://127.0.0.1:3000/payments/webhooks/stripe'
   * ```
   */
  get url(): string | undefined {
    return this.target?.href;
  }

  /**
   * Deliveries waiting for their first attempt or a retry, or in flight.
   *
   * @example
   * ```ts
   * sender.pending; // 0 once everything was delivered or given up on
   * ```
   */
  get pending(): number {
    return this.active;
  }

  /**
   * Sets (or, with undefined, removes) the endpoint for events sent from now on;
   * deliveries already under way keep the endpoint they started with, as on Stripe.
   *
   * @throws TypeError for a URL that does not parse or is not http(s).
   * @example
   * ```ts
   * sender.setUrl(`${apiUrl}/payments/webhooks/stripe`);
   * ```
   */
  setUrl(url: string | undefined): void {
    if (url === undefined) {
      this.target = undefined;
      return;
    }
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new TypeError(`webhook URL must be http(s), got ${url}`);
    this.target = parsed;
  }

  /**
   * Changes how events sent from now on are delivered; fields left out keep their value.
   * Deliveries already scheduled keep the style they were scheduled with.
   *
   * @throws RangeError for a value out of range, leaving the style unchanged.
   * @example
   * ```ts
   * sender.configure({ copies: 10, shuffleMs: 50 }); // a redelivery storm
   * sender.configure({ copies: 1, shuffleMs: 0 }); // back to one delivery per event
   * ```
   */
  configure(style: WebhookDeliveryStyle): void {
    const copies = checked('copies', style.copies ?? this.copies, (v) => Number.isInteger(v) && v >= 1);
    const duplicates = checked('duplicates', style.duplicates ?? this.duplicates, (v) => v >= 0 && v <= 1);
    const shuffleMs = checked('shuffleMs', style.shuffleMs ?? this.shuffleMs, (v) => v >= 0);
    this.copies = copies;
    this.duplicates = duplicates;
    this.shuffleMs = shuffleMs;
  }

  /**
   * Queues an event for delivery. Without an endpoint the event is not delivered, as a
   * provider drops events for an account with no webhook endpoint.
   *
   * @returns whether the event was queued.
   * @example
   * ```ts
   * sender.send(event); // true
   * ```
   */
  send(event: WebhookEvent): boolean {
    if (this.closed || !this.target) return false;
    // Pretty-printed like Stripe's payloads, so a receiver that verifies a re-serialised body fails here too.
    const body = JSON.stringify(event, null, 2);
    const copies = this.copies + (this.duplicates > 0 && this.random() < this.duplicates ? 1 : 0);
    for (let copy = 1; copy <= copies; copy++) {
      const delayMs = this.shuffleMs > 0 ? Math.floor(this.random() * (this.shuffleMs + 1)) : 0;
      this.schedule({ eventId: event.id, type: event.type, body, url: this.target, copy, attempt: 1 }, delayMs);
    }
    return true;
  }

  /**
   * Every attempt so far, in the order they finished; sort by `sequence` for the order
   * they started.
   *
   * @example
   * ```ts
   * sender.deliveries().filter((d) => d.ok).map((d) => d.type);
   * ```
   */
  deliveries(): WebhookDelivery[] {
    return this.log.map((delivery) => ({ ...delivery }));
  }

  /**
   * Resolves once no delivery is waiting or in flight (delivered or given up on);
   * rejects after `timeoutMs` (default 10 s) or on close.
   *
   * @example
   * ```ts
   * await sender.waitForDrained({ timeoutMs: 5_000 });
   * ```
   */
  waitForDrained(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('webhook sender closed'));
    const { timeoutMs = 10_000 } = options;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => waiter.reject(new Error(`webhooks not drained after ${timeoutMs}ms: ${this.pending} pending`)),
        timeoutMs,
      );
      const finish = (): void => {
        clearTimeout(timer);
        this.drainWaiters.delete(waiter);
      };
      const waiter: DrainWaiter = {
        resolve: () => {
          finish();
          resolve();
        },
        reject: (err) => {
          finish();
          reject(err);
        },
      };
      this.drainWaiters.add(waiter);
    });
  }

  /**
   * Cancels scheduled deliveries, cuts those in flight (they are not recorded) and
   * rejects pending {@link WebhookSender.waitForDrained}. Safe to call twice.
   *
   * @example
   * ```ts
   * afterEach(() => sender.close());
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
    this.active = 0;
    for (const waiter of [...this.drainWaiters]) waiter.reject(new Error('webhook sender closed'));
  }

  private schedule(job: Job, delayMs: number): void {
    this.active++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(job, delayMs);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(job: Job, delayMs: number): Promise<void> {
    const sequence = ++this.started;
    const at = new Date().toISOString();
    const startedAt = performance.now();
    // Re-signed on every attempt, as Stripe does, so a retry is never stale for the receiver's tolerance.
    const signature = signWebhookPayload(job.body, this.secret, Math.floor(this.now() / 1000));
    const result = await this.post(job.url, job.body, signature);
    if (this.closed) return;

    const ok = 'status' in result && result.status >= 200 && result.status < 300;
    const delivery: WebhookDelivery = {
      eventId: job.eventId,
      type: job.type,
      copy: job.copy,
      attempt: job.attempt,
      sequence,
      url: job.url.href,
      ...result,
      ok,
      delayMs,
      at,
      durationMs: Math.round(performance.now() - startedAt),
    };
    this.log.push(delivery);
    if (!ok && job.attempt < this.attempts) {
      const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (job.attempt - 1));
      this.schedule({ ...job, attempt: job.attempt + 1 }, backoff);
    }
    this.active--;
    this.emit('delivery', { ...delivery });
    if (this.active === 0) for (const waiter of [...this.drainWaiters]) waiter.resolve();
  }

  private post(url: URL, body: string, signature: string): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        agent: false,
        timeout: this.timeoutMs,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          accept: '*/*; q=0.5, application/xml',
          'cache-control': 'no-cache',
        },
      });
      let settled = false;
      const settle = (result: AttemptResult): void => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(req);
        resolve(result);
      };
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => settle({ status }));
        res.on('close', () => settle({ status }));
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${this.timeoutMs}ms`)));
      req.on('error', (err) => settle({ error: err.message }));
      this.inFlight.add(req);
      req.end(body);
    });
  }
}

function checked(name: string, value: number, ok: (value: number) => boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
    throw new RangeError(`webhook sender: ${name} is out of range (${String(value)})`);
  return value;
}
