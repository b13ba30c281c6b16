import { FormBodyError, parseFormBody, type FormRecord } from './form-body.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { FakeReply, FakeRequest, RouteHandler } from './route-table.js';
import { checkApiKey } from './stripe-auth.js';
import type { StripeEndpoint } from './stripe-endpoint.js';
import { invalidParam, StripeRequestFailure } from './stripe-errors.js';
import { stripeId } from './stripe-id.js';
import { StripeParams } from './stripe-params.js';
import type { PendingEvent } from './stripe-payment-state.js';

/**
 * The API request that caused an event, as Stripe reports it in `event.request`.
 *
 * @example
 * ```ts
 * const context: StripeCallContext = { requestId: 'req_1', idempotencyKey: 'k-1', apiVersion: '2026-10-28.endive' };
 * ```
 */
export interface StripeCallContext {
  requestId: string;
  idempotencyKey: string | undefined;
  /** The `Stripe-Version` the client asked for, if any. */
  apiVersion: string | undefined;
}

/**
 * What {@link stripeApiHandler} needs from the provider.
 *
 * @example
 * ```ts
 * const deps: StripeApiDeps = { apiKey: 'sk_test_fake', idempotency: new IdempotencyStore(), emit: (e, c) => events.push(e) };
 * ```
 */
export interface StripeApiDeps {
  apiKey: string;
  idempotency: IdempotencyStore;
  /** Called for each event of a request that ran, after its reply is stored. */
  emit(event: PendingEvent, context: StripeCallContext): void;
}

const MAX_KEY_LENGTH = 255;

/**
 * Turns a {@link StripeEndpoint} into a route handler that behaves like Stripe's API
 * front: it checks the key (401), reads parameters from the form body or the query,
 * applies `Idempotency-Key` to POSTs (replay, or 400 `idempotency_error`), answers
 * `StripeRequestFailure`s without storing them, stores what ran, emits its events and
 * sets `Request-Id` on every answer.
 *
 * @example
 * ```ts
 * this.route(endpoint.method, endpoint.path, stripeApiHandler(endpoint, { apiKey, idempotency, emit }));
 * ```
 */
export function stripeApiHandler(endpoint: StripeEndpoint, deps: StripeApiDeps): RouteHandler {
  return (req) => {
    const requestId = stripeId('req', 14);
    const reply = answer(req, requestId, endpoint, deps);
    return { ...reply, headers: { ...reply.headers, 'request-id': requestId } };
  };
}

function answer(req: FakeRequest, requestId: string, endpoint: StripeEndpoint, deps: StripeApiDeps): FakeReply {
  const refused = checkApiKey(req.headers['authorization'], deps.apiKey);
  if (refused) return { ...refused.toReply(), headers: { 'www-authenticate': 'Bearer realm="Stripe"' } };

  // Stripe ignores the header on GETs, which are safe to repeat anyway.
  const key = req.method === 'POST' ? req.headers['idempotency-key'] || undefined : undefined;
  const context: StripeCallContext = { requestId, idempotencyKey: key, apiVersion: req.headers['stripe-version'] };
  const route = `${req.method} ${req.path}`;
  try {
    const raw = rawParams(req) ?? {};
    if (key !== undefined) {
      if (key.length > MAX_KEY_LENGTH)
        throw invalidParam(
          'Idempotency-Key',
          undefined,
          `Idempotency-Key is longer than ${MAX_KEY_LENGTH} characters.`,
        );
      const found = deps.idempotency.lookup(key, route, raw);
      if (found.kind !== 'run') return found.reply;
    }
    const outcome = endpoint.run(new StripeParams(raw, endpoint.params), req.params['id'] ?? '');
    // Stored before the events go out, so a retry racing a webhook is still a replay.
    if (key !== undefined) deps.idempotency.remember(key, route, raw, outcome.reply, requestId);
    for (const event of outcome.events ?? []) deps.emit(event, context);
    return outcome.reply;
  } catch (err) {
    // Refused before running: Stripe stores nothing under the key, so a corrected retry may reuse it.
    if (err instanceof StripeRequestFailure) return err.toReply();
    throw err;
  }
}

function rawParams(req: FakeRequest): FormRecord | undefined {
  if (req.method !== 'GET') {
    if (req.body === undefined) return undefined;
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
      throw invalidParam('body', undefined, 'Invalid request body: expected form-encoded parameters.');
    return req.body as FormRecord;
  }
  try {
    return parseFormBody(req.query);
  } catch (err) {
    if (err instanceof FormBodyError) throw invalidParam(err.param, undefined, err.message);
    throw err;
  }
}
