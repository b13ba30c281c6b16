import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { OmsClient } from '../oms/oms-client.js';
import { orderManagement } from '../oms/order-management.downstream.js';
import { orderFulfilled } from '../signals/order-fulfilled.signal.js';
import { PaymentCapturedPayload } from './payment-captured.payload.js';

/** Fulfils a paid order at order management, then announces `order.fulfilled`. */
@Injectable()
export class FulfilOrderHandler implements TaskHandler<PaymentCapturedPayload, { status: string }> {
  constructor(private readonly oms: OmsClient) {}

  async run(payload: PaymentCapturedPayload, ctx: TaskContext): Promise<{ status: string }> {
    const order = await this.oms.fulfil(payload.orderId, ctx);
    await ctx.emit(orderFulfilled, { orderId: payload.orderId });
    return { status: order.status };
  }
}

/** Runs on `payment.captured`. */
export const fulfilOrder = defineTask({
  name: 'orders.fulfil',
  payload: PaymentCapturedPayload,
  handler: FulfilOrderHandler,
  retry: { attempts: 10, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
  downstreams: [orderManagement],
});
