import type { StripeErrorObject } from './stripe-errors.js';

/**
 * Metadata as Stripe stores it: string keys and string values.
 *
 * @example
 * ```ts
 * const metadata: StripeMetadata = { orderId: 'A-1' };
 * ```
 */
export type StripeMetadata = Record<string, string>;

/**
 * Statuses the fake gives a PaymentIntent (a subset of Stripe's).
 *
 * @example
 * ```ts
 * const status: FakePaymentIntentStatus = 'requires_capture';
 * ```
 */
export type FakePaymentIntentStatus =
  'requires_payment_method' | 'requires_confirmation' | 'requires_capture' | 'succeeded' | 'canceled';

/**
 * A PaymentIntent as the fake answers it: the fields Stripe always sends that matter to
 * a server-side integration, with Stripe's names and `null` where Stripe sends `null`.
 *
 * @example
 * ```ts
 * const [intent] = psp.paymentIntents();
 * intent.status; // 'requires_capture'
 * intent.metadata.orderId; // 'A-1'
 * ```
 */
export interface FakePaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  automatic_payment_methods: { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  client_secret: string;
  confirmation_method: 'automatic';
  /** Unix seconds. */
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  last_payment_error: StripeErrorObject | null;
  /** Charge id, or the charge itself when the caller asked for `expand[]=latest_charge`. */
  latest_charge: string | FakeCharge | null;
  livemode: false;
  metadata: StripeMetadata;
  next_action: null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  status: FakePaymentIntentStatus;
}

/**
 * A Charge: what a confirmation creates, and the object of `charge.refunded` events.
 *
 * @example
 * ```ts
 * const charge = psp.charges().find((c) => c.payment_intent === intent.id);
 * charge?.amount_refunded; // 300
 * ```
 */
export interface FakeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: null;
  captured: boolean;
  created: number;
  currency: string;
  description: string | null;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  /** Copied from the PaymentIntent when the charge is made, as Stripe does. */
  metadata: StripeMetadata;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

/**
 * A Refund; the fake settles every refund at once, so its status is `succeeded`.
 *
 * @example
 * ```ts
 * const [refund] = psp.refunds();
 * refund.amount; // 500
 * ```
 */
export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  balance_transaction: null;
  /** Charge id, or the charge itself when the caller asked for `expand[]=charge`. */
  charge: string | FakeCharge;
  created: number;
  currency: string;
  metadata: StripeMetadata;
  /** PaymentIntent id, or the intent itself when the caller asked for `expand[]=payment_intent`. */
  payment_intent: string | FakePaymentIntent;
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  receipt_number: null;
  status: 'succeeded';
}

/**
 * Event types the fake emits.
 *
 * @example
 * ```ts
 * const type: FakeStripeEventType = 'payment_intent.succeeded';
 * ```
 */
export type FakeStripeEventType =
  | 'payment_intent.succeeded'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'charge.refunded';

/**
 * An Event as Stripe delivers it to a webhook endpoint; `data.object` is a snapshot of
 * the intent or charge at the moment of the event.
 *
 * @example
 * ```ts
 * const event: FakeStripeEvent = psp.events()[0]!;
 * if (event.type === 'payment_intent.succeeded') (event.data.object as FakePaymentIntent).amount_received;
 * ```
 */
export interface FakeStripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: FakePaymentIntent | FakeCharge };
  livemode: false;
  /** Endpoints still to be told: 1 while a webhook URL is set, else 0. */
  pending_webhooks: number;
  /** The API request that caused the event, as Stripe reports it. */
  request: { id: string | null; idempotency_key: string | null };
  type: FakeStripeEventType;
}
