import { EventEmitter, setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallLedger, type RecordedCall, type WaitForCallsOptions } from './call-ledger.js';
import { addControlRoutes } from './control-routes.js';
import { FaultInjector } from './fault-injector.js';
import { InFlightGauge } from './in-flight-gauge.js';
import { DEFAULT_BODY_LIMIT_BYTES, type JsonBodyResult } from './json-body.js';
import { listenOnLoopback, type LoopbackListener } from './loopback-listener.js';
import { flattenHeaders, sendReply } from './node-http-adapter.js';
import { readRequestBody } from './request-body.js';
import {
  RouteTable,
  type FakeReply,
  type FakeRequest,
  type RouteHandler,
  type RouteMatch,
  type RouteOptions,
} from './route-table.js';

// Re-exported so subclasses and callers keep importing the whole fake API from here.
export type { RecordedCall, WaitForCallsOptions } from './call-ledger.js';
export type { FakeReply, FakeRequest, RouteHandler, RouteOptions } from './route-table.js';

/**
 * Construction options shared by every fake.
 *
 * @example
 * ```ts
 * new FakeOrderManagement({ faults: new FaultInjector({ random: () => 0 }) });
 * ```
 */
export interface FakeHttpServerOptions {
  /** Short name used in health answers and error messages, e.g. `oms`. */
  name?: string;
  /** Fault injector to consult; a fresh one with `Math.random` when absent. */
  faults?: FaultInjector;
  /** Largest JSON body accepted; larger bodies get 413. Defaults to 1 MiB. */
  bodyLimitBytes?: number;
  /**
   * Also parse `application/x-www-form-urlencoded` bodies (bracket notation, see
   * `parseFormBody`), for fakes of APIs such as Stripe's. Other bodies stay JSON.
   */
  acceptFormBodies?: boolean;
}

/**
 * Why the base answered a call itself rather than a route handler; see
 * {@link FakeHttpServer.fallbackReply}.
 *
 * @example
 * ```ts
 * const reason: FallbackReason = 'fault'; // the fault injector failed the call
 * ```
 */
export type FallbackReason = 'fault' | 'not_found' | 'method_not_allowed' | 'bad_body' | 'handler_error';

/**
 * Events of a fake: `call` fires with each call as it enters the ledger.
 *
 * @example
 * ```ts
 * oms.on('call', (call) => console.error(call.method, call.path, call.status));
 * ```
 */
export interface FakeHttpServerEvents {
  call: [call: RecordedCall];
}

/** What is known of a call when it arrives, before its body is read. */
interface Arrival {
  startedAt: number;
  at: string;
  method: string;
  path: string;
  url: URL;
  headers: Record<string, string>;
  routed: RouteMatch | undefined;
}

/**
 * Base for fake downstream services: a real HTTP server on 127.0.0.1 with a route
 * table, JSON bodies, a ledger of calls and a {@link FaultInjector} consulted before
 * routing. It serves three control routes itself (see {@link addControlRoutes}):
 *
 * - `GET /__health` → 200, never faulted;
 * - `GET /__calls` → the ledger as a JSON array;
 * - `GET /__faults` → the plan in force; `POST /__faults` with a partial
 *   `FaultPlan` (plus `reset: true` to clear first, `downForMs` for an outage
 *   relative to now, `null` to clear a field) → 200 with the new plan, or 400.
 *
 * @example
 * ```ts
 * class FakePayments extends FakeHttpServer {
 *   constructor() {
 *     super({ name: 'payments' });
 *     this.route('POST', '/charges', () => ({ status: 201, body: { id: 'ch_1' } }));
 *   }
 * }
 * const fake = new FakePayments();
 * const url = await fake.start();
 * await fake.close();
 * ```
 */
export class FakeHttpServer extends EventEmitter<FakeHttpServerEvents> {
  /** Short name of the fake, e.g. `oms`. */
  readonly name: string;
  /** Fault plan consulted for every non-control call. */
  readonly faults: FaultInjector;
  private readonly bodyLimitBytes: number;
  private readonly acceptFormBodies: boolean;
  private readonly routes = new RouteTable();
  private readonly ledger: CallLedger;
  private readonly gauge = new InFlightGauge();
  private listener: LoopbackListener | undefined;
  private closing: AbortController | undefined;

  constructor(options: FakeHttpServerOptions = {}) {
    super();
    this.name = options.name ?? 'fake';
    this.faults = options.faults ?? new FaultInjector();
    this.bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    this.acceptFormBodies = options.acceptFormBodies ?? false;
    // Announced on the fake itself, so `on('call')` listeners and waits share one stream.
    this.ledger = new CallLedger(this.name, this);
    addControlRoutes(this.routes, { name: this.name, faults: this.faults, ledger: this.ledger });
  }

  /**
   * Base URL once started, e.g. `http://127.0.0.1:53117`.
   *
   * @throws when the fake is not listening.
   * @example
   * ```ts
   * await fetch(`${oms.url}/orders/oms_1`);
   * ```
   */
  get url(): string {
    if (this.listener === undefined) throw new Error(`fake ${this.name} is not started`);
    return this.listener.url;
  }

  /**
   * A snapshot of the ledger, oldest call first. Control routes are not in it.
   *
   * @example
   * ```ts
   * expect(oms.calls.map((c) => c.status)).toEqual([503, 201]);
   * ```
   */
  get calls(): RecordedCall[] {
    return [...this.ledger.entries];
  }

  /**
   * Calls being handled right now, from arrival to answer (injected latency included);
   * control routes are not counted.
   *
   * @example
   * ```ts
   * oms.faults.set({ latencyMs: 1_000 });
   * // ...two calls sent...
   * oms.inFlight; // 2
   * ```
   */
  get inFlight(): number {
    return this.gauge.current;
  }

  /**
   * The most calls handled at once since the fake started or since
   * {@link FakeHttpServer.resetPeakInFlight}: what a bulkhead or concurrency limit of the
   * caller let through, seen from the downstream.
   *
   * @example
   * ```ts
   * oms.resetPeakInFlight();
   * // ...run the load...
   * expect(oms.peakInFlight).toBeLessThanOrEqual(workers * bulkhead);
   * ```
   */
  get peakInFlight(): number {
    return this.gauge.peak;
  }

  /**
   * Starts a new high-water mark for {@link FakeHttpServer.peakInFlight} from the calls in
   * flight now.
   *
   * @example
   * ```ts
   * oms.resetPeakInFlight(); // measure the drain after an outage on its own
   * ```
   */
  resetPeakInFlight(): void {
    this.gauge.resetPeak();
  }

  /**
   * Listens on 127.0.0.1; port 0 (the default) picks a free port.
   *
   * @returns the base URL.
   * @example
   * ```ts
   * const url = await oms.start(); // 'http://127.0.0.1:53117'
   * ```
   */
  async start(port = 0): Promise<string> {
    if (this.listener) throw new Error(`fake ${this.name} is already started`);
    const listener = await listenOnLoopback(port, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Last resort: a bug in the fake must not become an unhandled rejection in a test.
        if (!res.headersSent && !res.destroyed)
          sendReply(res, { status: 500, body: { error: 'internal_error', message: String(err) } });
        else req.socket.destroy();
      });
    });
    this.listener = listener;
    this.closing = new AbortController();
    // Every call in latency listens on this signal; many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    return listener.url;
  }

  /**
   * Stops listening, destroys open connections, ends injected latency early and
   * rejects pending {@link FakeHttpServer.waitForCalls}. Safe to call twice.
   *
   * @example
   * ```ts
   * afterEach(() => oms.close());
   * ```
   */
  async close(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    this.closing?.abort();
    const closed = listener.close();
    this.ledger.failWaits(`fake ${this.name} closed`);
    await closed;
  }

  /**
   * Subscribes to calls as they enter the ledger.
   *
   * @returns a function that unsubscribes.
   * @example
   * ```ts
   * const stop = oms.onCall((call) => console.error(`${call.method} ${call.path} ${call.status}`));
   * stop();
   * ```
   */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.on('call', listener);
    return () => this.off('call', listener);
  }

  /**
   * Resolves with every matching call once at least `count` are in the ledger; rejects
   * after `timeoutMs` (default 5000) or on close, saying how many arrived.
   *
   * @example
   * ```ts
   * const calls = await oms.waitForCalls(3, { method: 'POST', path: '/orders' });
   * ```
   */
  waitForCalls(count: number, options: WaitForCallsOptions = {}): Promise<RecordedCall[]> {
    return this.ledger.waitFor(count, options);
  }

  /**
   * Adds a route. Patterns are literal paths with `:name` segments; the first route
   * whose method and pattern match wins.
   *
   * @example
   * ```ts
   * this.route('GET', '/orders/:id', (req) => this.getOrder(req.params['id'] ?? ''));
   * ```
   */
  protected route(method: string, pattern: string, handler: RouteHandler, options: RouteOptions = {}): void {
    this.routes.add(method, pattern, handler, options);
  }

  /**
   * Shapes the replies the base makes itself (injected failures, 404, 405, unreadable
   * bodies, a handler that threw) for non-control routes. The default keeps them as
   * they are; a fake of a real API overrides it so clients see that API's error format.
   *
   * @example
   * ```ts
   * protected override fallbackReply(reason: FallbackReason, reply: FakeReply): FakeReply {
   *   return { ...reply, body: { error: { type: 'api_error', message: reason } } };
   * }
   * ```
   */
  protected fallbackReply(_reason: FallbackReason, reply: FakeReply): FakeReply {
    return reply;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const at = new Date().toISOString();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    const headers = flattenHeaders(req);
    const routed = this.routes.find(method, path);

    if (routed?.route.control) {
      const parsed = await readRequestBody(req, this.bodyLimitBytes, { form: this.acceptFormBodies });
      sendReply(
        res,
        parsed.ok
          ? await routed.route.handler({
              method,
              path,
              params: routed.params,
              query: url.searchParams,
              headers,
              body: parsed.body,
            })
          : parsed.reply,
      );
      return;
    }

    // Counted from arrival, the body read included, until answered or cut off.
    const leave = this.gauge.enter();
    try {
      await this.serve(req, res, { startedAt, at, method, path, url, headers, routed });
    } finally {
      leave();
    }
  }

  /** A call to a route of the fake (not a control route): faults, then the route, then the ledger. */
  private async serve(req: IncomingMessage, res: ServerResponse, arrival: Arrival): Promise<void> {
    const { startedAt, at, method, path, url, headers, routed } = arrival;
    const parsed = await readRequestBody(req, this.bodyLimitBytes, { form: this.acceptFormBodies });
    const body = parsed.ok ? parsed.body : undefined;

    const record = (outcome: Pick<RecordedCall, 'status' | 'fault'>): void => {
      this.ledger.record({
        at,
        method,
        path,
        headers,
        body,
        ...outcome,
        durationMs: Math.round(performance.now() - startedAt),
      });
    };

    const verdict = await this.faults.decide(this.closing ? { signal: this.closing.signal } : {});
    if (verdict === 'reset') {
      req.socket.destroy();
      record({ fault: 'reset' });
      return;
    }
    if (verdict === 'fail') {
      const status = this.faults.failStatus;
      sendReply(res, this.fallbackReply('fault', { status, body: { error: 'injected_fault', status } }));
      record({ status, fault: 'fail' });
      return;
    }

    const reply = await this.answer(parsed, routed, { method, path, query: url.searchParams, headers, body });
    sendReply(res, reply);
    record({ status: reply.status });
  }

  private async answer(
    parsed: JsonBodyResult,
    routed: RouteMatch | undefined,
    request: Omit<FakeRequest, 'params'>,
  ): Promise<FakeReply> {
    if (!parsed.ok) return this.fallbackReply('bad_body', parsed.reply);
    if (!routed) {
      return this.routes.hasPath(request.path)
        ? this.fallbackReply('method_not_allowed', { status: 405, body: { error: 'method_not_allowed' } })
        : this.fallbackReply('not_found', { status: 404, body: { error: 'not_found' } });
    }
    try {
      return await routed.route.handler({ ...request, params: routed.params });
    } catch (err) {
      // Answered and recorded like any call, so a broken handler shows up in the ledger.
      return this.fallbackReply('handler_error', {
        status: 500,
        body: { error: 'internal_error', message: err instanceof Error ? err.message : String(err) },
      });
    }
  }
}
