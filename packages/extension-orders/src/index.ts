/**
 * Orders extension: `POST /orders`, the `orders.submit` task that creates the order at
 * the order-management service, and the `order.placed` signal.
 *
 * Configure with `ORDERS_OMS_URL` (and optionally `ORDERS_OMS_TIMEOUT_MS`).
 *
 * @packageDocumentation
 */
import { defineExtension } from '@coordinator/core';
import { createRequire } from 'node:module';
import { OrdersController } from './http/orders.controller.js';
import { OmsClient } from './oms/oms-client.js';
import { OrdersSettings } from './orders.settings.js';
import { orderPlaced } from './signals/order-placed.signal.js';
import { submitOrder } from './tasks/submit-order.task.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export { CreateOrderBody } from './http/create-order.body.js';
export type { OrderAccepted } from './http/orders.controller.js';
export { OrderLine } from './order-line.dto.js';
export { OrdersSettings } from './orders.settings.js';
export { OrderPlaced, orderPlaced } from './signals/order-placed.signal.js';
export { SubmitOrderPayload } from './tasks/submit-order.payload.js';
export type { SubmitOrderResult } from './tasks/submit-order.handler.js';
export { submitOrder } from './tasks/submit-order.task.js';

/** The orders extension, loaded by the hosts from `COORDINATOR_EXTENSIONS`. */
export default defineExtension({
  name: 'orders',
  version,
  settings: OrdersSettings,
  controllers: [OrdersController],
  workerProviders: [OmsClient],
  tasks: [submitOrder],
  signals: [orderPlaced],
});
