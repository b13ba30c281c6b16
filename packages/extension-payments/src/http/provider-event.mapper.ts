import type Stripe from 'stripe';
import { HANDLED_EVENT_TYPES, type ProviderEventPayload } from '../tasks/provider-event.payload.js';

/** The fields read from an event's object, a payment intent or a charge. */
interface EventObject {
  object?: string;
  id?: string;
  payment_intent?: unknown;
  metadata?: Record<string, string>;
  amount?: number;
  amount_refunded?: number;
  currency?: string;
  last_payment_error?: { code?: string; message?: string } | null;
}

/**
 * The task payload for a verified event, or undefined for events the coordinator
 * ignores (other types, or payments it did not create: no order id in the metadata).
 */
export function providerEventPayload(event: Stripe.Event): ProviderEventPayload | undefined {
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) return undefined;
  const object = event.data.object as EventObject;
  const orderId = object.metadata?.['orderId'];
  const paymentIntentId =
    object.object === 'payment_intent'
      ? object.id
      : typeof object.payment_intent === 'string'
        ? object.payment_intent
        : undefined;
  if (!orderId || !paymentIntentId || typeof object.amount !== 'number' || !object.currency) return undefined;
  return {
    eventId: event.id,
    type: event.type as ProviderEventPayload['type'],
    orderId,
    paymentIntentId,
    amount: object.amount,
    currency: object.currency.toUpperCase(),
    ...(typeof object.amount_refunded === 'number' ? { amountRefunded: object.amount_refunded } : {}),
    ...(object.last_payment_error?.code || object.last_payment_error?.message
      ? { failureReason: String(object.last_payment_error.code ?? object.last_payment_error.message).slice(0, 500) }
      : {}),
  };
}
