import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { OmsClient } from '../oms/oms-client.js';
import { orderManagement } from '../oms/order-management.downstream.js';
import { PaymentFailedPayload } from './payment-failed.payload.js';

/** Marks an order whose payment failed for a human to look at, at order management. */
@Injectable()
export class FlagOrderHandler implements TaskHandler<PaymentFailedPayload, { attention: string }> {
  constructor(private readonly oms: OmsClient) {}

  async run(payload: PaymentFailedPayload, ctx: TaskContext): Promise<{ attention: string }> {
    const reason = `payment failed: ${payload.reason}`;
    await this.oms.flagForAttention(payload.orderId, reason, ctx);
    ctx.logger.warn('order flagged for attention', { orderId: payload.orderId, reason });
    return { attention: reason };
  }
}

/** Runs on `payment.failed`. */
export const flagOrder = defineTask({
  name: 'orders.flag-for-attention',
  payload: PaymentFailedPayload,
  handler: FlagOrderHandler,
  retry: { attempts: 10, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
  downstreams: [orderManagement],
});
