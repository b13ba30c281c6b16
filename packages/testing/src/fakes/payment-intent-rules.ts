import { invalidParam, StripeRequestFailure, type StripeErrorObject } from './stripe-errors.js';
import type { FakePaymentIntent, FakePaymentIntentStatus } from './stripe-objects.js';

/** Smallest amounts Stripe charges, in minor units; other currencies only need 1. */
const MINIMUM_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  eur: 50,
  chf: 50,
  cad: 50,
  aud: 50,
  jpy: 50,
  gbp: 30,
  dkk: 250,
  nok: 300,
  sek: 300,
};
const MAXIMUM_AMOUNT = 99_999_999;

/**
 * Statuses from which Stripe lets a PaymentIntent be confirmed.
 *
 * @example
 * ```ts
 * CONFIRMABLE.includes(intent.status); // false once it succeeded
 * ```
 */
export const CONFIRMABLE: readonly FakePaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation'];

/**
 * Statuses from which Stripe lets a PaymentIntent be canceled.
 *
 * @example
 * ```ts
 * CANCELABLE.includes('requires_capture'); // true: canceling releases the authorisation
 * ```
 */
export const CANCELABLE: readonly FakePaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_capture',
];

/**
 * Checks an amount against Stripe's limits: at least the currency's minimum charge
 * (50 cents for usd and eur, 30 pence for gbp, …), at most 99,999,999 minor units. Code
 * that charges one cent passes a naive fake but fails on Stripe, so it fails here too.
 *
 * @throws {@link StripeRequestFailure} `amount_too_small` or `amount_too_large`, naming `amount`.
 * @example
 * ```ts
 * checkAmount(20, 'usd'); // throws amount_too_small
 * ```
 */
export function checkAmount(amount: number, currency: string): void {
  const minimum = MINIMUM_AMOUNTS[currency] ?? 1;
  if (amount < minimum) {
    throw invalidParam(
      'amount',
      'amount_too_small',
      `Amount must be at least ${minimum} ${currency} (in the smallest currency unit)`,
    );
  }
  if (amount > MAXIMUM_AMOUNT) {
    throw invalidParam('amount', 'amount_too_large', `Amount must be no more than ${MAXIMUM_AMOUNT} ${currency}`);
  }
}

/**
 * Refuses, before charging, what Stripe refuses: a confirmation without a payment
 * method, and one that may redirect (automatic payment methods allowing redirects)
 * without a `return_url`. The second trips many server-side integrations on their first
 * day against Stripe, so the fake trips them first.
 *
 * @throws {@link StripeRequestFailure} 400 `invalid_request_error`.
 * @example
 * ```ts
 * checkConfirmable({ id: 'pm_1' }, { enabled: true, allow_redirects: 'never' }, undefined); // passes
 * ```
 */
export function checkConfirmable(
  method: { id: string } | undefined,
  automatic: FakePaymentIntent['automatic_payment_methods'],
  returnUrl: string | undefined,
): asserts method is { id: string } {
  if (!method) {
    throw invalidParam(
      'payment_method',
      'payment_intent_unexpected_state',
      "You cannot confirm this PaymentIntent because it's missing a payment method. " +
        'Update it with a payment method and then confirm it again.',
    );
  }
  if (automatic?.enabled && automatic.allow_redirects !== 'never' && returnUrl === undefined) {
    throw new StripeRequestFailure(400, {
      type: 'invalid_request_error',
      message:
        'This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of ' +
        'these payment methods might redirect your customer off of your page, you must provide a `return_url`. ' +
        "If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to " +
        '`true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and ' +
        'Payment Intents.',
    });
  }
}

/**
 * Stripe's `payment_intent_unexpected_state` error for an operation the intent's status
 * forbids, with the intent attached as Stripe attaches it.
 *
 * @example
 * ```ts
 * unexpectedStateError(intent, 'captured', ['requires_capture']).message;
 * // 'This PaymentIntent could not be captured because it has a status of succeeded. …'
 * ```
 */
export function unexpectedStateError(
  intent: FakePaymentIntent,
  verb: string,
  allowed: readonly string[],
): StripeErrorObject {
  return {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message:
      `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}. ` +
      `Only a PaymentIntent with one of the following statuses may be ${verb}: ${allowed.join(', ')}.`,
    payment_intent: structuredClone(intent),
  };
}
