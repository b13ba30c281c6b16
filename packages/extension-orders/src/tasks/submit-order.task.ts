import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { OmsClient } from '../oms/oms-client.js';
import { orderManagement } from '../oms/order-management.downstream.js';
import { orderPlaced } from '../signals/order-placed.signal.js';
import { SubmitOrderPayload } from './submit-order.payload.js';

/**
 * Result of `orders.submit`.
 *
 * @example
 * ```ts
 * (status.result as SubmitOrderResult).omsOrderId;
 * ```
 */
export interface SubmitOrderResult {
  omsOrderId: string;
}

/** Creates the order at the order-management service, then announces `order.placed`. */
@Injectable()
export class SubmitOrderHandler implements TaskHandler<SubmitOrderPayload, SubmitOrderResult> {
  constructor(private readonly oms: OmsClient) {}

  async run(payload: SubmitOrderPayload, ctx: TaskContext): Promise<SubmitOrderResult> {
    const created = await this.oms.createOrder(payload, ctx);
    ctx.logger.log('order created at order management', { orderId: payload.orderId, omsOrderId: created.id });
    const amount = payload.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    await ctx.emit(orderPlaced, {
      orderId: payload.orderId,
      customerId: payload.customerId,
      omsOrderId: created.id,
      amount,
      currency: payload.currency,
      ...(payload.paymentMethod ? { paymentMethod: payload.paymentMethod } : {}),
    });
    return { omsOrderId: created.id };
  }
}

/** Submits an accepted order to the order-management service. */
export const submitOrder = defineTask({
  name: 'orders.submit',
  payload: SubmitOrderPayload,
  handler: SubmitOrderHandler,
  retry: { attempts: 8, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
  downstreams: [orderManagement],
});
