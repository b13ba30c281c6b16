import { EventEmitter, setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector, InvalidFaultPlanError, type FaultPlan } from './fault-injector.js';

/**
 * One call a fake received, as kept in its ledger. It is recorded once the call is
 * over (answered or cut off), so a call stalled in injected latency is not in it yet.
 *
 * @example
 * ```ts
 * const [call] = await oms.waitForCalls(1, { path: '/orders' });
 * call.headers['idempotency-key']; // 'k-1'
 * call.status; // 201
 * ```
 */
export interface RecordedCall {
  /** When the call arrived, as an ISO timestamp. */
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Request headers with lowercased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the body was empty or unreadable. */
  body: unknown;
  /** Status answered; absent when the socket was destroyed instead. */
  status?: number;
  /** Set when the fault injector, not the route, decided the outcome. */
  fault?: 'fail' | 'reset';
  /** From arrival to answer, injected latency included. */
  durationMs: number;
}

/**
 * A request as a route handler sees it.
 *
 * @example
 * ```ts
 * const handler: RouteHandler = (req) => ({ status: 200, body: { id: req.params['id'] } });
 * ```
 */
export interface FakeRequest {
  method: string;
  path: string;
  /** Values of the `:name` segments of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * What a route handler answers; `body` is sent as JSON.
 *
 * @example
 * ```ts
 * const reply: FakeReply = { status: 201, body: { id: 'oms_1' }, headers: { location: '/orders/oms_1' } };
 * ```
 */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Handles one routed request.
 *
 * @example
 * ```ts
 * const health: RouteHandler = () => ({ status: 200, body: { status: 'ok' } });
 * ```
 */
export type RouteHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/**
 * Options for a route. Control routes (`/__…`) are never faulted and never recorded,
 * so a test can always inspect and steer a fake, even one that is "down".
 *
 * @example
 * ```ts
 * this.route('GET', '/__health', health, { control: true });
 * ```
 */
export interface RouteOptions {
  control?: boolean;
}

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
}

/**
 * Filter for {@link FakeHttpServer.waitForCalls}.
 *
 * @example
 * ```ts
 * const filter: WaitForCallsOptions = { method: 'POST', path: '/orders/:id/cancel', timeoutMs: 2_000 };
 * ```
 */
export interface WaitForCallsOptions {
  /** Exact path, or a pattern with `:name` segments. */
  path?: string;
  method?: string;
  /** Defaults to 5000. */
  timeoutMs?: number;
}

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

/** Bodies bigger than this are refused; fakes only ever see small JSON documents. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

const FAULT_FIELDS: readonly (keyof FaultPlan)[] = [
  'latencyMs',
  'failureRate',
  'failStatus',
  'resetRate',
  'downUntil',
  'failNext',
];

interface Route {
  method: string;
  match: (path: string) => Record<string, string> | undefined;
  handler: RouteHandler;
  control: boolean;
}

type BodyResult = { ok: true; body: unknown } | { ok: false; reply: FakeReply };

interface Waiter {
  fail: (reason: string) => void;
}

/**
 * Base for fake downstream services: a real HTTP server on 127.0.0.1 with a route
 * table, JSON bodies, a ledger of calls and a {@link FaultInjector} consulted before
 * routing. It serves three control routes itself:
 *
 * - `GET /__health` → 200, never faulted;
 * - `GET /__calls` → the ledger as a JSON array;
 * - `GET /__faults` → the plan in force; `POST /__faults` with a partial
 *   {@link FaultPlan} (plus `reset: true` to clear first, `downForMs` for an outage
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
  private readonly routes: Route[] = [];
  private readonly ledger: RecordedCall[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<Waiter>();
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private closing: AbortController | undefined;

  constructor(options: FakeHttpServerOptions = {}) {
    super();
    this.name = options.name ?? 'fake';
    this.faults = options.faults ?? new FaultInjector();
    this.bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
    this.route('GET', '/__health', () => ({ status: 200, body: { status: 'ok', name: this.name } }), { control: true });
    this.route('GET', '/__calls', () => ({ status: 200, body: this.ledger }), { control: true });
    this.route('GET', '/__faults', () => ({ status: 200, body: this.faults.plan }), { control: true });
    this.route('POST', '/__faults', (req) => this.applyFaults(req.body), { control: true });
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
    if (this.baseUrl === undefined) throw new Error(`fake ${this.name} is not started`);
    return this.baseUrl;
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
    return [...this.ledger];
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
    if (this.server) throw new Error(`fake ${this.name} is already started`);
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Last resort: a bug in the fake must not become an unhandled rejection in a test.
        if (!res.headersSent && !res.destroyed)
          send(res, { status: 500, body: { error: 'internal_error', message: String(err) } });
        else req.socket.destroy();
      });
    });
    // Tracked so close() can cut keep-alive connections that server.close() would wait on.
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port: bound } = server.address() as AddressInfo;
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${bound}`;
    this.closing = new AbortController();
    // Every call in latency listens on this signal; many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    return this.baseUrl;
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
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = undefined;
    this.closing?.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    for (const waiter of [...this.waiters]) waiter.fail(`fake ${this.name} closed`);
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
    const { timeoutMs = 5000 } = options;
    const method = options.method?.toUpperCase();
    const matchPath = options.path === undefined ? undefined : compilePattern(options.path);
    const matching = (): RecordedCall[] =>
      this.ledger.filter(
        (call) => (!method || call.method === method) && (!matchPath || matchPath(call.path) !== undefined),
      );

    const now = matching();
    if (now.length >= count) return Promise.resolve(now);

    const noun = count === 1 ? 'call' : 'calls';
    const what = [`${count} ${noun}`, method, options.path && `to ${options.path}`].filter(Boolean).join(' ');
    return new Promise((resolve, reject) => {
      const onCall = (): void => {
        const found = matching();
        if (found.length < count) return;
        cleanup();
        resolve(found);
      };
      const waiter: Waiter = {
        fail: (reason) => {
          cleanup();
          reject(new Error(`waitForCalls on ${this.name}: expected ${what}, ${matching().length} arrived (${reason})`));
        },
      };
      const timer = setTimeout(() => waiter.fail(`timed out after ${timeoutMs}ms`), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('call', onCall);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      this.on('call', onCall);
    });
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
    this.routes.push({
      method: method.toUpperCase(),
      match: compilePattern(pattern),
      handler,
      control: options.control ?? false,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const at = new Date().toISOString();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    const headers = flattenHeaders(req);
    const parsed = await readJsonBody(req, this.bodyLimitBytes);
    const body = parsed.ok ? parsed.body : undefined;
    const routed = this.find(method, path);

    if (routed?.route.control) {
      send(
        res,
        parsed.ok
          ? await routed.route.handler({ method, path, params: routed.params, query: url.searchParams, headers, body })
          : parsed.reply,
      );
      return;
    }

    const record = (outcome: Pick<RecordedCall, 'status' | 'fault'>): void => {
      const call: RecordedCall = {
        at,
        method,
        path,
        headers,
        body,
        ...outcome,
        durationMs: Math.round(performance.now() - startedAt),
      };
      this.ledger.push(call);
      this.emit('call', call);
    };

    const verdict = await this.faults.decide(this.closing ? { signal: this.closing.signal } : {});
    if (verdict === 'reset') {
      req.socket.destroy();
      record({ fault: 'reset' });
      return;
    }
    if (verdict === 'fail') {
      const status = this.faults.failStatus;
      send(res, { status, body: { error: 'injected_fault', status } });
      record({ status, fault: 'fail' });
      return;
    }

    const reply = await this.answer(parsed, routed, { method, path, query: url.searchParams, headers, body });
    send(res, reply);
    record({ status: reply.status });
  }

  private async answer(
    parsed: BodyResult,
    routed: { route: Route; params: Record<string, string> } | undefined,
    request: Omit<FakeRequest, 'params'>,
  ): Promise<FakeReply> {
    if (!parsed.ok) return parsed.reply;
    if (!routed) {
      const known = this.routes.some((route) => route.match(request.path));
      return known
        ? { status: 405, body: { error: 'method_not_allowed' } }
        : { status: 404, body: { error: 'not_found' } };
    }
    try {
      return await routed.route.handler({ ...request, params: routed.params });
    } catch (err) {
      // Answered and recorded like any call, so a broken handler shows up in the ledger.
      return {
        status: 500,
        body: { error: 'internal_error', message: err instanceof Error ? err.message : String(err) },
      };
    }
  }

  private find(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = route.match(path);
      if (params) return { route, params };
    }
    return undefined;
  }

  private applyFaults(body: unknown): FakeReply {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { status: 400, body: { error: 'invalid_fault_plan', message: 'body must be a JSON object' } };
    }
    const { reset, downForMs, ...rest } = body as Record<string, unknown>;
    const plan: Partial<FaultPlan> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (!(FAULT_FIELDS as readonly string[]).includes(key)) {
        return {
          status: 400,
          body: { error: 'invalid_fault_plan', field: key, message: `${key} is not a fault plan field` },
        };
      }
      // JSON cannot carry undefined, so null is how a remote caller clears a field.
      plan[key as keyof FaultPlan] = value === null ? undefined : (value as number);
    }
    if (downForMs !== undefined && (typeof downForMs !== 'number' || !Number.isFinite(downForMs) || downForMs < 0)) {
      return {
        status: 400,
        body: {
          error: 'invalid_fault_plan',
          field: 'downForMs',
          message: 'downForMs must be a number of milliseconds, 0 or more',
        },
      };
    }
    // Clearing through set() rather than reset() keeps the old plan when the new one is invalid.
    const cleared: Partial<FaultPlan> =
      reset === true ? Object.fromEntries(FAULT_FIELDS.map((field) => [field, undefined])) : {};
    try {
      this.faults.set({ ...cleared, ...plan });
      if (typeof downForMs === 'number') this.faults.downFor(downForMs);
    } catch (err) {
      if (err instanceof InvalidFaultPlanError) {
        return { status: 400, body: { error: 'invalid_fault_plan', field: err.field, message: err.message } };
      }
      throw err;
    }
    return { status: 200, body: this.faults.plan };
  }
}

function compilePattern(pattern: string): (path: string) => Record<string, string> | undefined {
  const expected = pattern.split('/');
  return (path) => {
    const actual = path.split('/');
    if (actual.length !== expected.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i] ?? '';
      const got = actual[i] ?? '';
      if (want.startsWith(':')) {
        if (got === '') return undefined;
        const value = decodeOrUndefined(got);
        if (value === undefined) return undefined;
        params[want.slice(1)] = value;
      } else if (want !== got) {
        return undefined;
      }
    }
    return params;
  };
}

function decodeOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape cannot name anything the fake stored, so it simply does not match.
    return undefined;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Keep draining past the limit so the keep-alive connection stays usable for the 413.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit)
    return { ok: false, reply: { status: 413, body: { error: 'payload_too_large', limitBytes: limit } } };
  if (size === 0) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, reply: { status: 400, body: { error: 'invalid_json' } } };
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (res.destroyed) return;
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}
