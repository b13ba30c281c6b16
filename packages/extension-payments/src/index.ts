/**
 * Payments extension: reacts to `order.placed` by preparing the order's payment.
 *
 * @packageDocumentation
 */
import { defineExtension, onSignal } from '@coordinator/core';
import { createRequire } from 'node:module';
import { requestPayment } from './tasks/request-payment.task.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export { OrderPlacedPayload } from './tasks/order-placed.payload.js';
export type { PaymentRequest } from './tasks/request-payment.handler.js';
export { requestPayment } from './tasks/request-payment.task.js';

/** The payments extension, loaded by the hosts from `COORDINATOR_EXTENSIONS`. */
export default defineExtension({
  name: 'payments',
  version,
  tasks: [requestPayment],
  handlers: [onSignal('order.placed', requestPayment)],
});
