import { defineTask } from '@coordinator/core';
import { OrderPlacedPayload } from './order-placed.payload.js';
import { RequestPaymentHandler } from './request-payment.handler.js';

/** Prepares the payment of a placed order. Runs on `order.placed`. */
export const requestPayment = defineTask({
  name: 'payments.request-payment',
  payload: OrderPlacedPayload,
  handler: RequestPaymentHandler,
  retry: { attempts: 10, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
});
