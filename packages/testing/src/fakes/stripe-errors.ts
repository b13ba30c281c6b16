import type { FakeReply } from './route-table.js';
import type { FakePaymentIntent } from './stripe-objects.js';

/**
 * Error types the fake answers with; the `stripe` package picks its error class from the
 * HTTP status and this type (400/404 → `StripeInvalidRequestError`, or
 * `StripeIdempotencyError` for `idempotency_error`; 401 → `StripeAuthenticationError`;
 * 402 → `StripeCardError`; 5xx → `StripeAPIError`).
 *
 * @example
 * ```ts
 * const type: StripeErrorType = 'card_error';
 * ```
 */
export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

/**
 * The `error` member of a Stripe error body; also the shape of a PaymentIntent's
 * `last_payment_error`.
 *
 * @example
 * ```ts
 * const error: StripeErrorObject = { type: 'invalid_request_error', code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' };
 * ```
 */
export interface StripeErrorObject {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  /** Charge id of a declined charge. */
  charge?: string;
  payment_method?: { id: string; object: 'payment_method'; type: 'card' };
  /** The intent the error is about, as Stripe attaches it to PaymentIntent errors. */
  payment_intent?: FakePaymentIntent;
}

/**
 * A request the fake refuses before doing anything: thrown by parameter checks and
 * look-ups, answered as a Stripe error and, like Stripe, never stored under an
 * `Idempotency-Key`, so a corrected retry may reuse the key.
 *
 * @example
 * ```ts
 * throw new StripeRequestFailure(400, { type: 'invalid_request_error', code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' });
 * ```
 */
export class StripeRequestFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorObject,
  ) {
    super(error.message);
    this.name = 'StripeRequestFailure';
  }

  /**
   * The reply that carries this failure.
   *
   * @example
   * ```ts
   * return failure.toReply(); // { status: 400, body: { error: { … } } }
   * ```
   */
  toReply(): FakeReply {
    return stripeErrorReply(this.status, this.error);
  }
}

/**
 * A reply with a Stripe error body.
 *
 * @example
 * ```ts
 * stripeErrorReply(500, { type: 'api_error', message: 'An unknown error occurred.' });
 * ```
 */
export function stripeErrorReply(status: number, error: StripeErrorObject): FakeReply {
  return { status, body: { error } };
}

/**
 * 400 `parameter_missing`, naming the parameter.
 *
 * @example
 * ```ts
 * throw missingParam('amount'); // "Missing required param: amount."
 * ```
 */
export function missingParam(param: string): StripeRequestFailure {
  return new StripeRequestFailure(400, {
    type: 'invalid_request_error',
    code: 'parameter_missing',
    param,
    message: `Missing required param: ${param}.`,
  });
}

/**
 * 400 for a parameter with a bad value, naming the parameter.
 *
 * @param code Stripe's code, e.g. `parameter_invalid_integer`, `amount_too_small`;
 *   undefined where Stripe sends none.
 * @example
 * ```ts
 * throw invalidParam('amount', 'parameter_invalid_integer', 'Invalid integer: abc');
 * ```
 */
export function invalidParam(param: string, code: string | undefined, message: string): StripeRequestFailure {
  return new StripeRequestFailure(400, {
    type: 'invalid_request_error',
    ...(code === undefined ? {} : { code }),
    param,
    message,
  });
}

/**
 * `resource_missing`, e.g. `No such payment_intent: 'pi_123'`: 404 for the object a path
 * names, 400 (as Stripe answers) for an id passed as a parameter.
 *
 * @example
 * ```ts
 * throw noSuch('payment_intent', 'pi_123', 'intent');
 * throw noSuch('PaymentMethod', 'pm_nope', 'payment_method', 400);
 * ```
 */
export function noSuch(resource: string, id: string, param: string, status = 404): StripeRequestFailure {
  return new StripeRequestFailure(status, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param,
    message: `No such ${resource}: '${id}'`,
  });
}
