/**
 * Orders extension: `POST /orders`, `GET /orders/:id`, `POST /orders/:id/cancel`; tasks
 * that submit, fulfil, cancel and flag orders at the order-management service; the
 * `order.placed`, `order.cancelled` and `order.fulfilled` signals. It fulfils orders on
 * `payment.captured` and flags them on `payment.failed`.
 *
 * Configure with `ORDERS_OMS_URL` (and optionally `ORDERS_OMS_TIMEOUT_MS`). Its tasks call
 * order management through the `order-management` circuit breaker and bulkhead
 * ({@link orderManagement}): while it is down, they wait without spending attempts.
 *
 * @packageDocumentation
 */
import { defineExtension, onSignal } from '@coordinator/core';
import { createRequire } from 'node:module';
import { OrdersController } from './http/orders.controller.js';
import { OmsClient } from './oms/oms-client.js';
import { OrdersSettings } from './orders.settings.js';
import { orderCancelled } from './signals/order-cancelled.signal.js';
import { orderFulfilled } from './signals/order-fulfilled.signal.js';
import { orderPlaced } from './signals/order-placed.signal.js';
import { cancelOrder } from './tasks/cancel-order.task.js';
import { flagOrder } from './tasks/flag-order.task.js';
import { fulfilOrder } from './tasks/fulfil-order.task.js';
import { submitOrder } from './tasks/submit-order.task.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export { CancelOrderBody } from './http/cancel-order.body.js';
export { CreateOrderBody } from './http/create-order.body.js';
export type { OrderAccepted } from './http/orders.controller.js';
export { orderCorrelation, type OrderStage, type OrderView } from './http/order-view.js';
export { orderManagement } from './oms/order-management.downstream.js';
export { OrderLine } from './order-line.dto.js';
export { OrdersSettings } from './orders.settings.js';
export { OrderCancelled, orderCancelled } from './signals/order-cancelled.signal.js';
export { OrderFulfilled, orderFulfilled } from './signals/order-fulfilled.signal.js';
export { OrderPlaced, orderPlaced } from './signals/order-placed.signal.js';
export { CancelOrderPayload } from './tasks/cancel-order.payload.js';
export { cancelOrder } from './tasks/cancel-order.task.js';
export { flagOrder } from './tasks/flag-order.task.js';
export { fulfilOrder } from './tasks/fulfil-order.task.js';
export { PaymentCapturedPayload } from './tasks/payment-captured.payload.js';
export { PaymentFailedPayload } from './tasks/payment-failed.payload.js';
export { SubmitOrderPayload } from './tasks/submit-order.payload.js';
export { submitOrder, type SubmitOrderResult } from './tasks/submit-order.task.js';

/** The orders extension, loaded by the hosts from `COORDINATOR_EXTENSIONS`. */
export default defineExtension({
  name: 'orders',
  version,
  // Released in lockstep with core (one version for all packages).
  coreRange: `^${version}`,
  settings: OrdersSettings,
  controllers: [OrdersController],
  workerProviders: [OmsClient],
  tasks: [submitOrder, fulfilOrder, cancelOrder, flagOrder],
  signals: [orderPlaced, orderCancelled, orderFulfilled],
  handlers: [onSignal('payment.captured', fulfilOrder), onSignal('payment.failed', flagOrder)],
});
