import type { StripeErrorObject } from './stripe-errors.js';
import { stripeId } from './stripe-id.js';
import type { FakeCharge, FakePaymentIntent } from './stripe-objects.js';
import type { TestCardOutcome } from './test-payment-methods.js';

/**
 * What a new PaymentIntent is made from, already checked.
 *
 * @example
 * ```ts
 * const fields: NewIntentFields = { amount: 500, currency: 'eur', captureMethod: 'manual', metadata: {}, automatic: null, paymentMethodId: 'pm_1', paymentMethodTypes: ['card'] };
 * ```
 */
export interface NewIntentFields {
  amount: number;
  currency: string;
  captureMethod: FakePaymentIntent['capture_method'];
  metadata: FakePaymentIntent['metadata'];
  automatic: FakePaymentIntent['automatic_payment_methods'];
  paymentMethodId: string | undefined;
  paymentMethodTypes: string[];
  description?: string;
  receiptEmail?: string;
}

/**
 * A fresh, unconfirmed PaymentIntent with every field Stripe sends, nulls included.
 *
 * @param created unix seconds.
 * @example
 * ```ts
 * newPaymentIntent(fields, Math.floor(Date.now() / 1000)).status; // 'requires_confirmation'
 * ```
 */
export function newPaymentIntent(fields: NewIntentFields, created: number): FakePaymentIntent {
  const id = stripeId('pi');
  return {
    id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_capturable: 0,
    amount_received: 0,
    automatic_payment_methods: fields.automatic,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: `${id}_secret_${stripeId('x').slice(2)}`,
    confirmation_method: 'automatic',
    created,
    currency: fields.currency,
    customer: null,
    description: fields.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: fields.metadata,
    next_action: null,
    payment_method: fields.paymentMethodId ?? null,
    payment_method_types: fields.paymentMethodTypes,
    receipt_email: fields.receiptEmail ?? null,
    status: fields.paymentMethodId ? 'requires_confirmation' : 'requires_payment_method',
  };
}

/**
 * The charge a confirmation makes: captured at once for automatic capture, only
 * authorised for manual capture, failed for a declined card. It copies the intent's
 * metadata, as Stripe does, so `charge.refunded` handlers can find their order.
 *
 * @param created unix seconds.
 * @example
 * ```ts
 * newCharge(intent, { id: 'pm_1', outcome: TEST_PAYMENT_METHODS['pm_card_visa']! }, now).captured; // true
 * ```
 */
export function newCharge(
  intent: FakePaymentIntent,
  method: { id: string; outcome: TestCardOutcome },
  created: number,
): FakeCharge {
  const { outcome } = method;
  const declined = outcome.kind === 'decline';
  const captured = !declined && intent.capture_method !== 'manual';
  return {
    id: stripeId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    balance_transaction: null,
    captured,
    created,
    currency: intent.currency,
    description: intent.description,
    failure_code: declined ? outcome.code : null,
    failure_message: declined ? outcome.message : null,
    livemode: false,
    metadata: { ...intent.metadata },
    paid: !declined,
    payment_intent: intent.id,
    payment_method: method.id,
    refunded: false,
    status: declined ? 'failed' : 'succeeded',
  };
}

/**
 * The `card_error` of a declined charge, as Stripe puts it in the 402 answer and in the
 * intent's `last_payment_error`.
 *
 * @example
 * ```ts
 * declineError(outcome, 'ch_1', 'pm_1').decline_code; // 'generic_decline'
 * ```
 */
export function declineError(
  outcome: Extract<TestCardOutcome, { kind: 'decline' }>,
  chargeId: string,
  paymentMethodId: string,
): StripeErrorObject {
  return {
    type: 'card_error',
    code: outcome.code,
    decline_code: outcome.declineCode,
    message: outcome.message,
    charge: chargeId,
    doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replaceAll('_', '-')}`,
    payment_method: { id: paymentMethodId, object: 'payment_method', type: 'card' },
  };
}
