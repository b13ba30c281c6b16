import { defineTask } from '@coordinator/core';
import { SubmitOrderHandler } from './submit-order.handler.js';
import { SubmitOrderPayload } from './submit-order.payload.js';

/** Submits an accepted order to the order-management service. */
export const submitOrder = defineTask({
  name: 'orders.submit',
  payload: SubmitOrderPayload,
  handler: SubmitOrderHandler,
  retry: { attempts: 8, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
});
