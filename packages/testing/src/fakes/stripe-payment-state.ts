import {
  CANCELABLE,
  checkAmount,
  checkConfirmable,
  CONFIRMABLE,
  unexpectedStateError,
} from './payment-intent-rules.js';
import { invalidParam, noSuch, type StripeErrorObject } from './stripe-errors.js';
import { stripeId } from './stripe-id.js';
import { declineError, newCharge, newPaymentIntent } from './stripe-object-factory.js';
import type {
  FakeCharge,
  FakePaymentIntent,
  FakeRefund,
  FakeStripeEventType,
  StripeMetadata,
} from './stripe-objects.js';
import { testPaymentMethod, type TestCardOutcome } from './test-payment-methods.js';

/**
 * An event to emit, with a snapshot of the object as it was at that moment.
 *
 * @example
 * ```ts
 * const pending: PendingEvent = { type: 'payment_intent.succeeded', object: intent };
 * ```
 */
export interface PendingEvent {
  type: FakeStripeEventType;
  object: FakePaymentIntent | FakeCharge;
}

/**
 * What an operation that ran produced: its object, or a Stripe error (a decline, a state
 * that forbids the operation), plus the events it caused either way. Requests refused
 * before running throw a {@link StripeRequestFailure} instead.
 *
 * @example
 * ```ts
 * const result: StateResult<FakePaymentIntent> = state.captureIntent('pi_1');
 * if (!result.ok) console.log(result.error.code); // 'payment_intent_unexpected_state'
 * ```
 */
export type StateResult<T> =
  | { ok: true; value: T; events: PendingEvent[] }
  | { ok: false; status: number; error: StripeErrorObject; events: PendingEvent[] };

/**
 * Checked parameters of `POST /v1/payment_intents`.
 *
 * @example
 * ```ts
 * const input: CreateIntentInput = { amount: 500, currency: 'eur', captureMethod: 'manual', confirm: true, paymentMethod: 'pm_card_visa', metadata: {} };
 * ```
 */
export interface CreateIntentInput {
  amount: number;
  currency: string;
  captureMethod: FakePaymentIntent['capture_method'];
  confirm: boolean;
  paymentMethod?: string;
  paymentMethodTypes?: string[];
  automaticPaymentMethods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
  metadata: StripeMetadata;
  description?: string;
  receiptEmail?: string;
  returnUrl?: string;
}

/**
 * Checked parameters of `POST /v1/refunds`.
 *
 * @example
 * ```ts
 * const input: RefundInput = { paymentIntent: 'pi_1', amount: 200, metadata: {} };
 * ```
 */
export interface RefundInput {
  paymentIntent?: string;
  charge?: string;
  amount?: number;
  reason?: FakeRefund['reason'];
  metadata: StripeMetadata;
}

/**
 * The payment state of the fake provider: PaymentIntents, their charges and refunds,
 * and the moves between states Stripe allows. It knows nothing of HTTP; the provider
 * turns its results into replies and its events into webhooks.
 *
 * @example
 * ```ts
 * const state = new StripePaymentState(Date.now);
 * const created = state.createIntent({ amount: 500, currency: 'eur', captureMethod: 'manual', confirm: true, paymentMethod: 'pm_card_visa', metadata: {} });
 * if (created.ok) state.captureIntent(created.value.id);
 * ```
 */
export class StripePaymentState {
  private readonly intentsById = new Map<string, FakePaymentIntent>();
  private readonly chargesById = new Map<string, FakeCharge>();
  private readonly refundsById = new Map<string, FakeRefund>();
  /** Stripe turns each use of a test token into a new PaymentMethod; remember what each one does. */
  private readonly paymentMethods = new Map<string, TestCardOutcome>();

  /** @param now clock in epoch ms, for `created` timestamps. */
  constructor(private readonly now: () => number) {}

  /**
   * Copies of every PaymentIntent, oldest first.
   *
   * @example
   * ```ts
   * state.intents().map((i) => i.status); // ['succeeded']
   * ```
   */
  intents(): FakePaymentIntent[] {
    return [...this.intentsById.values()].map((intent) => structuredClone(intent));
  }

  /**
   * Copies of every charge, oldest first.
   *
   * @example
   * ```ts
   * state.charges()[0]?.captured; // true
   * ```
   */
  charges(): FakeCharge[] {
    return [...this.chargesById.values()].map((charge) => structuredClone(charge));
  }

  /**
   * Copies of every refund, oldest first.
   *
   * @example
   * ```ts
   * state.refunds().reduce((sum, r) => sum + r.amount, 0); // 500
   * ```
   */
  refunds(): FakeRefund[] {
    return [...this.refundsById.values()].map((refund) => structuredClone(refund));
  }

  /**
   * A copy of one PaymentIntent.
   *
   * @throws {@link StripeRequestFailure} 404 `resource_missing`.
   * @example
   * ```ts
   * state.intent('pi_1').status; // 'requires_capture'
   * ```
   */
  intent(id: string): FakePaymentIntent {
    return structuredClone(this.liveIntent(id));
  }

  /**
   * A copy of one charge.
   *
   * @throws {@link StripeRequestFailure} 404 `resource_missing`.
   * @example
   * ```ts
   * state.charge('ch_1').amount_refunded; // 0
   * ```
   */
  charge(id: string): FakeCharge {
    const charge = this.chargesById.get(id);
    if (!charge) throw noSuch('charge', id, 'id');
    return structuredClone(charge);
  }

  /**
   * A copy of one refund.
   *
   * @throws {@link StripeRequestFailure} 404 `resource_missing`.
   * @example
   * ```ts
   * state.refund('re_1').status; // 'succeeded'
   * ```
   */
  refund(id: string): FakeRefund {
    const refund = this.refundsById.get(id);
    if (!refund) throw noSuch('refund', id, 'id');
    return structuredClone(refund);
  }

  /**
   * Intents whose metadata has `key` set to `value`, newest first. Unlike Stripe's
   * search, which lags writes by up to a minute, the answer is immediate.
   *
   * @example
   * ```ts
   * state.searchByMetadata('orderId', 'A-1').length; // 1
   * ```
   */
  searchByMetadata(key: string, value: string): FakePaymentIntent[] {
    return [...this.intentsById.values()]
      .filter((intent) => Object.hasOwn(intent.metadata, key) && intent.metadata[key] === value)
      .reverse()
      .map((intent) => structuredClone(intent));
  }

  /**
   * Creates a PaymentIntent, confirming it at once when `confirm` is set.
   *
   * @throws {@link StripeRequestFailure} for an amount out of range, an unknown payment
   *   method, or a confirmation Stripe would refuse before charging.
   * @example
   * ```ts
   * state.createIntent({ amount: 500, currency: 'eur', captureMethod: 'automatic', confirm: false, metadata: {} });
   * ```
   */
  createIntent(input: CreateIntentInput): StateResult<FakePaymentIntent> {
    checkAmount(input.amount, input.currency);
    // Resolved before anything is stored: a refused request must leave no intent behind.
    const method = input.paymentMethod === undefined ? undefined : this.resolvePaymentMethod(input.paymentMethod);
    const automatic = input.paymentMethodTypes ? null : (input.automaticPaymentMethods ?? { enabled: true });
    if (input.confirm) checkConfirmable(method, automatic, input.returnUrl);

    const intent = newPaymentIntent(
      {
        amount: input.amount,
        currency: input.currency,
        captureMethod: input.captureMethod,
        metadata: input.metadata,
        automatic,
        paymentMethodId: method?.id,
        paymentMethodTypes: input.paymentMethodTypes ?? ['card'],
        description: input.description,
        receiptEmail: input.receiptEmail,
      },
      this.seconds(),
    );
    this.intentsById.set(intent.id, intent);
    if (!input.confirm || !method) return { ok: true, value: structuredClone(intent), events: [] };
    return this.confirmWith(intent, method);
  }

  /**
   * Confirms a PaymentIntent, optionally with a new payment method.
   *
   * @throws {@link StripeRequestFailure} for an unknown intent or payment method, or a
   *   confirmation Stripe would refuse before charging.
   * @example
   * ```ts
   * state.confirmIntent('pi_1', { paymentMethod: 'pm_card_visa' });
   * ```
   */
  confirmIntent(id: string, input: { paymentMethod?: string; returnUrl?: string }): StateResult<FakePaymentIntent> {
    const intent = this.liveIntent(id);
    const method =
      input.paymentMethod !== undefined
        ? this.resolvePaymentMethod(input.paymentMethod)
        : intent.payment_method === null
          ? undefined
          : this.resolvePaymentMethod(intent.payment_method);
    if (!CONFIRMABLE.includes(intent.status))
      return failure(400, unexpectedStateError(intent, 'confirmed', CONFIRMABLE));
    checkConfirmable(method, intent.automatic_payment_methods, input.returnUrl);
    intent.payment_method = method.id;
    return this.confirmWith(intent, method);
  }

  /**
   * Captures an authorised PaymentIntent, all of it or `amountToCapture` (the rest is
   * released, as on Stripe).
   *
   * @throws {@link StripeRequestFailure} for an unknown intent or an amount above what is capturable.
   * @example
   * ```ts
   * state.captureIntent('pi_1', 300);
   * ```
   */
  captureIntent(id: string, amountToCapture?: number): StateResult<FakePaymentIntent> {
    const intent = this.liveIntent(id);
    if (intent.status !== 'requires_capture')
      return failure(400, unexpectedStateError(intent, 'captured', ['requires_capture']));
    const amount = amountToCapture ?? intent.amount_capturable;
    if (amount < 1 || amount > intent.amount_capturable) {
      throw invalidParam(
        'amount_to_capture',
        'amount_too_large',
        `The amount to capture (${amount}) must be between 1 and the amount capturable (${intent.amount_capturable}).`,
      );
    }
    const charge = this.chargeOf(intent);
    // A partial capture releases the rest; only the captured amount can be refunded later.
    charge.captured = true;
    charge.amount_captured = amount;
    intent.amount_capturable = 0;
    intent.amount_received = amount;
    intent.status = 'succeeded';
    return this.done(intent, [{ type: 'payment_intent.succeeded', object: intent }]);
  }

  /**
   * Cancels a PaymentIntent that has not succeeded; an authorisation is released.
   *
   * @throws {@link StripeRequestFailure} for an unknown intent.
   * @example
   * ```ts
   * state.cancelIntent('pi_1', 'requested_by_customer');
   * ```
   */
  cancelIntent(id: string, reason?: string): StateResult<FakePaymentIntent> {
    const intent = this.liveIntent(id);
    if (!CANCELABLE.includes(intent.status)) return failure(400, unexpectedStateError(intent, 'canceled', CANCELABLE));
    if (intent.status === 'requires_capture') {
      const charge = this.chargeOf(intent);
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
    }
    intent.status = 'canceled';
    intent.canceled_at = this.seconds();
    intent.cancellation_reason = reason ?? null;
    intent.amount_capturable = 0;
    return this.done(intent, [{ type: 'payment_intent.canceled', object: intent }]);
  }

  /**
   * Refunds a captured payment, all that remains or `amount`.
   *
   * @throws {@link StripeRequestFailure} for a missing or unknown intent or charge.
   * @example
   * ```ts
   * state.createRefund({ paymentIntent: 'pi_1', amount: 200, metadata: {} });
   * ```
   */
  createRefund(input: RefundInput): StateResult<FakeRefund> {
    const charge = this.refundableCharge(input);
    if ('error' in charge) return { ok: false, status: 400, error: charge.error, events: [] };
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0) {
      return failure(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Charge ${charge.id} has already been refunded.`,
      });
    }
    const amount = input.amount ?? remaining;
    if (amount > remaining) {
      return failure(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      });
    }
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    const refund: FakeRefund = {
      id: stripeId('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: this.seconds(),
      currency: charge.currency,
      metadata: input.metadata,
      payment_intent: charge.payment_intent,
      reason: input.reason ?? null,
      receipt_number: null,
      status: 'succeeded',
    };
    this.refundsById.set(refund.id, refund);
    return {
      ok: true,
      value: structuredClone(refund),
      events: [{ type: 'charge.refunded', object: structuredClone(charge) }],
    };
  }

  /** Charges the card of a confirmed intent: the shared end of create-and-confirm and confirm. */
  private confirmWith(
    intent: FakePaymentIntent,
    method: { id: string; outcome: TestCardOutcome },
  ): StateResult<FakePaymentIntent> {
    const charge = newCharge(intent, method, this.seconds());
    this.chargesById.set(charge.id, charge);
    intent.latest_charge = charge.id;

    const { outcome } = method;
    if (outcome.kind === 'decline') {
      const error = declineError(outcome, charge.id, method.id);
      intent.status = 'requires_payment_method';
      intent.payment_method = null;
      intent.last_payment_error = error;
      const snapshot = structuredClone(intent);
      return {
        ok: false,
        status: 402,
        error: { ...error, payment_intent: snapshot },
        events: [{ type: 'payment_intent.payment_failed', object: snapshot }],
      };
    }
    intent.last_payment_error = null;
    if (charge.captured) {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      return this.done(intent, [{ type: 'payment_intent.succeeded', object: intent }]);
    }
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    return this.done(intent, [{ type: 'payment_intent.amount_capturable_updated', object: intent }]);
  }

  private done(intent: FakePaymentIntent, events: PendingEvent[]): StateResult<FakePaymentIntent> {
    return {
      ok: true,
      value: structuredClone(intent),
      events: events.map((event) => ({ ...event, object: structuredClone(event.object) })),
    };
  }

  private refundableCharge(input: RefundInput): FakeCharge | { error: StripeErrorObject } {
    if (input.paymentIntent === undefined && input.charge === undefined) {
      throw invalidParam('payment_intent', 'parameter_missing', 'One of `charge` or `payment_intent` is required.');
    }
    const intent = input.paymentIntent === undefined ? undefined : this.intentsById.get(input.paymentIntent);
    if (input.paymentIntent !== undefined && !intent) {
      throw noSuch('payment_intent', input.paymentIntent, 'payment_intent', 400);
    }
    const chargeId = input.charge ?? (typeof intent?.latest_charge === 'string' ? intent.latest_charge : undefined);
    const charge = chargeId === undefined ? undefined : this.chargesById.get(chargeId);
    if (input.charge !== undefined && !charge) throw noSuch('charge', input.charge, 'charge', 400);
    if (!charge || !charge.captured) {
      const status = intent?.status ?? 'requires_capture';
      return {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          param: input.paymentIntent === undefined ? 'charge' : 'payment_intent',
          message:
            `This PaymentIntent has a status of ${status} and has no captured charge to refund. ` +
            'Cancel a PaymentIntent that was only authorised instead.',
        },
      };
    }
    return charge;
  }

  private resolvePaymentMethod(token: string): { id: string; outcome: TestCardOutcome } {
    const known = this.paymentMethods.get(token);
    if (known) return { id: token, outcome: known };
    const outcome = testPaymentMethod(token);
    if (!outcome) throw noSuch('PaymentMethod', token, 'payment_method', 400);
    const id = stripeId('pm');
    this.paymentMethods.set(id, outcome);
    return { id, outcome };
  }

  private liveIntent(id: string): FakePaymentIntent {
    const intent = this.intentsById.get(id);
    if (!intent) throw noSuch('payment_intent', id, 'intent');
    return intent;
  }

  private chargeOf(intent: FakePaymentIntent): FakeCharge {
    const id = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
    const charge = id === undefined ? undefined : this.chargesById.get(id);
    if (!charge) throw new Error(`fake stripe: ${intent.id} is ${intent.status} but has no charge`);
    return charge;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function failure<T>(status: number, error: StripeErrorObject): StateResult<T> {
  return { ok: false, status, error, events: [] };
}
