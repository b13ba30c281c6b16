import { createHash } from 'node:crypto';
import type { FakeReply } from './route-table.js';
import { stripeErrorReply } from './stripe-errors.js';

/**
 * What to do with a POST that carries an `Idempotency-Key`: run it, replay the stored
 * reply, or refuse it because the key was first used for another request.
 *
 * @example
 * ```ts
 * const found: IdempotentLookup = store.lookup('k-1', 'POST /v1/refunds', params);
 * if (found.kind !== 'run') return found.reply;
 * ```
 */
export type IdempotentLookup = { kind: 'run' } | { kind: 'replay' | 'conflict'; reply: FakeReply };

/**
 * Options of {@link IdempotencyStore}.
 *
 * @example
 * ```ts
 * const options: IdempotencyStoreOptions = { ttlMs: 60_000, now: () => clock };
 * ```
 */
export interface IdempotencyStoreOptions {
  /** How long a key is kept; Stripe keeps keys for 24 hours, the default. */
  ttlMs?: number;
  /** Clock in epoch ms; defaults to `Date.now`. */
  now?: () => number;
}

interface Stored {
  endpoint: string;
  fingerprint: string;
  reply: FakeReply;
  requestId: string;
  expiresAt: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Stripe's idempotency semantics, in memory: the same key with the same endpoint and
 * parameters replays the stored reply (with `Idempotent-Replayed: true` and
 * `Original-Request`); the same key with another endpoint or other parameters is a 400
 * `idempotency_error`. Only requests that ran are remembered: callers do not store
 * replies to requests refused by validation, so a corrected retry may reuse the key.
 *
 * @example
 * ```ts
 * const store = new IdempotencyStore();
 * const found = store.lookup('k-1', 'POST /v1/payment_intents', params);
 * if (found.kind === 'run') store.remember('k-1', 'POST /v1/payment_intents', params, reply, 'req_1');
 * ```
 */
export class IdempotencyStore {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Stored>();

  constructor(options: IdempotencyStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DAY_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Keys currently remembered.
   *
   * @example
   * ```ts
   * store.size; // 2
   * ```
   */
  get size(): number {
    this.expire();
    return this.entries.size;
  }

  /**
   * Decides what a keyed request gets.
   *
   * @param endpoint method and path, e.g. `POST /v1/refunds`.
   * @param params the parsed parameters; key order does not matter.
   * @example
   * ```ts
   * store.lookup('k-1', 'POST /v1/refunds', { payment_intent: 'pi_1' }); // { kind: 'run' }
   * ```
   */
  lookup(key: string, endpoint: string, params: unknown): IdempotentLookup {
    this.expire();
    const stored = this.entries.get(key);
    if (!stored) return { kind: 'run' };
    if (stored.endpoint !== endpoint) {
      return conflict(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
          `('${stored.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (stored.fingerprint !== fingerprintOf(params)) {
      return conflict(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
          `Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return {
      kind: 'replay',
      reply: {
        ...stored.reply,
        headers: { ...stored.reply.headers, 'idempotent-replayed': 'true', 'original-request': stored.requestId },
      },
    };
  }

  /**
   * Stores the reply of a request that ran.
   *
   * @example
   * ```ts
   * store.remember('k-1', 'POST /v1/refunds', params, { status: 200, body: refund }, 'req_7');
   * ```
   */
  remember(key: string, endpoint: string, params: unknown, reply: FakeReply, requestId: string): void {
    this.entries.set(key, {
      endpoint,
      fingerprint: fingerprintOf(params),
      reply: structuredClone(reply),
      requestId,
      expiresAt: this.now() + this.ttlMs,
    });
  }

  /** Entries are kept in insertion order with one TTL, so the oldest expire first. */
  private expire(): void {
    const now = this.now();
    for (const [key, stored] of this.entries) {
      if (stored.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}

function conflict(message: string): IdempotentLookup {
  return { kind: 'conflict', reply: stripeErrorReply(400, { type: 'idempotency_error', message }) };
}

function fingerprintOf(params: unknown): string {
  return createHash('sha256').update(canonicalJson(params)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
