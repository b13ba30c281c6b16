import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { OmsClient } from '../oms/oms-client.js';
import { orderManagement } from '../oms/order-management.downstream.js';
import { orderCancelled } from '../signals/order-cancelled.signal.js';
import { CancelOrderPayload } from './cancel-order.payload.js';

/** Cancels the order at order management, then announces `order.cancelled` (payments refunds). */
@Injectable()
export class CancelOrderHandler implements TaskHandler<CancelOrderPayload, { status: string }> {
  constructor(private readonly oms: OmsClient) {}

  async run(payload: CancelOrderPayload, ctx: TaskContext): Promise<{ status: string }> {
    const order = await this.oms.cancel(payload.orderId, payload.reason, ctx);
    await ctx.emit(orderCancelled, {
      orderId: payload.orderId,
      ...(payload.reason ? { reason: payload.reason } : {}),
    });
    return { status: order.status };
  }
}

/** Dispatched by `POST /orders/:id/cancel`. */
export const cancelOrder = defineTask({
  name: 'orders.cancel',
  payload: CancelOrderPayload,
  handler: CancelOrderHandler,
  retry: { attempts: 10, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
  downstreams: [orderManagement],
});
