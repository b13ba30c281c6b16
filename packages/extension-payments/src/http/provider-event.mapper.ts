import type Stripe from 'stripe';
import { HANDLED_EVENT_TYPES, type ProviderEventPayload } from '../tasks/provider-event.payload.js';

/** The fields read from an event's object, a payment intent or a charge. */
interface EventObject {
  object?: string;
  id?: string;
  payment_intent?: unknown;
  metadata?: Record<string, unknown> | null;
  amount?: unknown;
  amount_refunded?: unknown;
  currency?: unknown;
  last_payment_error?: { code?: unknown; message?: unknown } | null;
}

/**
 * The task payload for a verified event, or undefined for events the coordinator
 * ignores (other types, or payments it did not create: no order id in the metadata).
 * The event is signed, not trusted to be well-formed: a field of an unexpected type is
 * passed on for the payload's validation to name (a 400), never read as if it fitted.
 */
export function providerEventPayload(event: Stripe.Event): ProviderEventPayload | undefined {
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) return undefined;
  const object = event.data.object as EventObject;
  const metadata = typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {};
  const orderId = metadata['orderId'];
  const paymentIntentId =
    object.object === 'payment_intent'
      ? object.id
      : typeof object.payment_intent === 'string'
        ? object.payment_intent
        : undefined;
  if (!orderId || !paymentIntentId || typeof object.amount !== 'number' || !object.currency) return undefined;
  const error = typeof object.last_payment_error === 'object' ? object.last_payment_error : null;
  const reason = error?.code || error?.message;
  const failureReason = typeof reason === 'string' ? reason.slice(0, 500) : undefined;
  return {
    eventId: event.id,
    type: event.type as ProviderEventPayload['type'],
    orderId,
    paymentIntentId,
    amount: object.amount,
    currency: typeof object.currency === 'string' ? object.currency.toUpperCase() : object.currency,
    ...(typeof object.amount_refunded === 'number' ? { amountRefunded: object.amount_refunded } : {}),
    ...(failureReason ? { failureReason } : {}),
  } as ProviderEventPayload;
}
