import { compilePathPattern } from './path-pattern.js';

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
 * Filter for {@link CallLedger.waitFor} (and `FakeHttpServer.waitForCalls`).
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
 * Where a ledger announces each call as a `call` event. The fake passes itself, so
 * `fake.on('call')` listeners and pending waits hear one and the same stream.
 *
 * @example
 * ```ts
 * const announcer: CallAnnouncer = new EventEmitter<{ call: [call: RecordedCall] }>();
 * ```
 */
export interface CallAnnouncer {
  emit(event: 'call', call: RecordedCall): boolean;
  on(event: 'call', listener: (call: RecordedCall) => void): unknown;
  off(event: 'call', listener: (call: RecordedCall) => void): unknown;
}

interface Waiter {
  fail: (reason: string) => void;
}

/**
 * The calls a fake received, oldest first, and the waits for more of them.
 *
 * @example
 * ```ts
 * const ledger = new CallLedger('oms', new EventEmitter());
 * ledger.record({ at: new Date().toISOString(), method: 'GET', path: '/', headers: {}, body: undefined, durationMs: 0 });
 * await ledger.waitFor(1, { method: 'GET' });
 * ```
 */
export class CallLedger {
  private readonly calls: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();

  /**
   * @param name of the fake, for error messages.
   * @param announcer told of each call as it is recorded.
   */
  constructor(
    private readonly name: string,
    private readonly announcer: CallAnnouncer,
  ) {}

  /**
   * The ledger itself, not a copy: `GET /__calls` serialises it as it stands.
   *
   * @example
   * ```ts
   * ledger.entries.length; // 3
   * ```
   */
  get entries(): readonly RecordedCall[] {
    return this.calls;
  }

  /**
   * Appends a finished call and announces it.
   *
   * @example
   * ```ts
   * ledger.record({ at, method, path, headers, body, status: 201, durationMs: 12 });
   * ```
   */
  record(call: RecordedCall): void {
    this.calls.push(call);
    this.announcer.emit('call', call);
  }

  /**
   * Resolves with every matching call once at least `count` are in the ledger; rejects
   * after `timeoutMs` (default 5000) or on {@link CallLedger.failWaits}, saying how many arrived.
   *
   * @example
   * ```ts
   * const calls = await ledger.waitFor(3, { method: 'POST', path: '/orders' });
   * ```
   */
  waitFor(count: number, options: WaitForCallsOptions = {}): Promise<RecordedCall[]> {
    const { timeoutMs = 5000 } = options;
    const method = options.method?.toUpperCase();
    const matchPath = options.path === undefined ? undefined : compilePathPattern(options.path);
    const matching = (): RecordedCall[] =>
      this.calls.filter(
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
        this.announcer.off('call', onCall);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      this.announcer.on('call', onCall);
    });
  }

  /**
   * Rejects every pending {@link CallLedger.waitFor}, e.g. because the fake closed.
   *
   * @example
   * ```ts
   * ledger.failWaits('fake oms closed');
   * ```
   */
  failWaits(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.fail(reason);
  }
}
