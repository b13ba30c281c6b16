/*
 * Load through the real API, as a well-behaved client sends it: `POST /orders` with a fresh
 * `Idempotency-Key` per order at a steady rate (open loop, so latency is measured at a rate
 * the API does not choose), and on a 503, 429, 5xx or a broken connection the same request
 * again with the same key after `Retry-After`. Every attempt is recorded with its start,
 * latency and answer; an order counts as accepted only with a 202.
 */
import { randomUUID } from 'node:crypto';
import { pause } from './deadline.js';

export type ApiCall = (path: string, init?: RequestInit) => Promise<Response>;

/** One HTTP attempt: when it started (epoch ms), how long it took, what came back. */
export interface Attempt {
  at: number;
  ms: number;
  status?: number;
  error?: string;
}

export interface AcceptedOrder {
  key: string;
  orderId: string;
  taskId: string;
  /** Epoch ms of the 202. */
  acceptedAt: number;
  attempts: number;
}

export interface OrderLoadOptions {
  /** Prefix of the idempotency keys, naming the scenario. */
  label: string;
  /** Orders to place; without it, places orders until {@link OrderLoad.stop}. */
  count?: number;
  ratePerSec: number;
  /** Orders in flight at once (retries included); the schedule waits beyond it. */
  maxInFlight?: number;
  requestTimeoutMs?: number;
  /** Stops everything, retries included. */
  signal?: AbortSignal;
}

const ORDER = { customerId: 'c-chaos', currency: 'EUR', lines: [{ sku: 'CHAOS-1', quantity: 1, unitPrice: 1000 }] };
const RETRYABLE = (status: number) => status === 503 || status === 429 || status >= 500;

export class OrderLoad {
  readonly accepted: AcceptedOrder[] = [];
  readonly attempts: Attempt[] = [];
  /** Orders answered with a status a client must not retry (a 4xx other than 429): a bug. */
  readonly rejected: { key: string; status: number; body: string }[] = [];
  /** Orders that never got a 202 before the load was stopped for good. */
  readonly abandoned: string[] = [];
  private started = 0;
  private inFlight = 0;
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly orders = new Set<Promise<void>>();

  constructor(
    private readonly call: ApiCall,
    private readonly options: OrderLoadOptions,
  ) {}

  /** Orders started so far. */
  get sent(): number {
    return this.started;
  }

  /** Starts placing orders; resolves once every order started has been accepted or given up on. */
  start(): Promise<void> {
    this.running ??= this.schedule();
    return this.running;
  }

  /** No new orders from now on; orders already started keep retrying until accepted. */
  stop(): void {
    this.stopping = true;
  }

  private async schedule(): Promise<void> {
    const { ratePerSec, count = Infinity, maxInFlight = 200, signal } = this.options;
    const begin = Date.now();
    while (!this.stopping && !signal?.aborted && this.started < count) {
      const due = Math.min(count, Math.floor(((Date.now() - begin) / 1000) * ratePerSec) + 1);
      while (this.started < due && this.inFlight < maxInFlight) {
        const order = this.place(`${this.options.label}-${this.started}-${randomUUID()}`);
        this.orders.add(order);
        void order.finally(() => this.orders.delete(order));
        this.started += 1;
      }
      await pause(10, signal);
    }
    while (this.orders.size > 0) await Promise.all([...this.orders]);
  }

  private async place(key: string): Promise<void> {
    const { requestTimeoutMs = 10_000, signal } = this.options;
    this.inFlight += 1;
    try {
      for (let attempt = 1; ; attempt++) {
        if (signal?.aborted) {
          this.abandoned.push(key);
          return;
        }
        const at = Date.now();
        const started = performance.now();
        let response: Response;
        try {
          response = await this.call('/orders', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(ORDER),
            signal: AbortSignal.timeout(requestTimeoutMs),
          });
        } catch (error) {
          this.attempts.push({ at, ms: performance.now() - started, error: (error as Error).name });
          await pause(1_000, signal);
          continue;
        }
        const text = await response.text();
        this.attempts.push({ at, ms: performance.now() - started, status: response.status });
        if (response.status === 202) {
          const body = JSON.parse(text) as { orderId: string; taskId: string };
          this.accepted.push({
            key,
            orderId: body.orderId,
            taskId: body.taskId,
            acceptedAt: Date.now(),
            attempts: attempt,
          });
          return;
        }
        if (!RETRYABLE(response.status)) {
          this.rejected.push({ key, status: response.status, body: text.slice(0, 300) });
          return;
        }
        const retryAfter = Number(response.headers.get('retry-after') ?? 1);
        await pause((Number.isFinite(retryAfter) ? retryAfter : 1) * 1_000, signal);
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** How many attempts got each answer (`202`, `503`, `TimeoutError`, …). */
export function answerCounts(attempts: readonly Attempt[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of attempts) {
    const key = a.status === undefined ? (a.error ?? 'error') : String(a.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
