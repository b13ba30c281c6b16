import type { FakeReply } from './route-table.js';
import { stripeErrorReply } from './stripe-errors.js';
import type { StripeParams } from './stripe-params.js';
import type { PendingEvent, StateResult } from './stripe-payment-state.js';

/**
 * What a Stripe endpoint produced: its reply and the events it caused.
 *
 * @example
 * ```ts
 * const outcome: StripeOutcome = { reply: { status: 200, body: intent }, events: [{ type: 'payment_intent.succeeded', object: intent }] };
 * ```
 */
export interface StripeOutcome {
  reply: FakeReply;
  events?: PendingEvent[];
}

/**
 * One `/v1` endpoint of the fake: its route, the top-level parameters it accepts (any
 * other is refused), and what it does. `run` throws a `StripeRequestFailure` to refuse
 * a request before it runs; anything it returns counts as having run.
 *
 * @example
 * ```ts
 * const readCharge: StripeEndpoint = {
 *   method: 'GET',
 *   path: '/v1/charges/:id',
 *   params: [],
 *   run: (_params, id) => ({ reply: okReply(state.charge(id)) }),
 * };
 * ```
 */
export interface StripeEndpoint {
  method: 'GET' | 'POST';
  path: string;
  params: readonly string[];
  run(params: StripeParams, id: string): StripeOutcome;
}

/**
 * A 200 reply.
 *
 * @example
 * ```ts
 * okReply(intent); // { status: 200, body: intent }
 * ```
 */
export function okReply(body: unknown): FakeReply {
  return { status: 200, body };
}

/**
 * The outcome of a state operation: its rendered object, or its Stripe error, with its
 * events either way (a decline both fails and emits `payment_intent.payment_failed`).
 *
 * @example
 * ```ts
 * return outcomeOf(state.captureIntent(id), (intent) => expandIntent(intent, expand, lookup));
 * ```
 */
export function outcomeOf<T>(result: StateResult<T>, render: (value: T) => unknown): StripeOutcome {
  const reply = result.ok ? okReply(render(result.value)) : stripeErrorReply(result.status, result.error);
  return { reply, events: result.events };
}
