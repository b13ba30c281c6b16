import { defineTask, RetryableError, TaskStatusReader, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { PaymentProvider } from '../provider/payment-provider.js';
import type { CreatePaymentResult } from './create-payment.task.js';
import { OrderCancelledPayload } from './order-cancelled.payload.js';
import { PAYMENT_RETRY } from './payment-retry.js';

/**
 * Result of `payments.refund`.
 *
 * @example
 * ```ts
 * (status.result as RefundResult).refundId;
 * ```
 */
export interface RefundResult {
  refunded: boolean;
  refundId?: string;
  reason?: string;
}

/**
 * Refunds a cancelled order's captured payment. The refund's key derives from the
 * order, so a second cancellation or a retried task never refunds twice.
 */
@Injectable()
export class RefundPaymentHandler implements TaskHandler<OrderCancelledPayload, RefundResult> {
  constructor(
    private readonly provider: PaymentProvider,
    private readonly tasks: TaskStatusReader,
  ) {}

  async run(payload: OrderCancelledPayload, ctx: TaskContext): Promise<RefundResult> {
    const intent = await this.provider.findIntent(payload.orderId, ctx, await this.knownIntentId(payload.orderId));
    if (!intent) return { refunded: false, reason: 'no payment for this order' };
    if (intent.status === 'requires_capture' || intent.status === 'processing') {
      // Being captured right now: wait for it rather than leave money behind.
      throw new RetryableError(`payment ${intent.id} is ${intent.status}; refund after capture`);
    }
    if (intent.status !== 'succeeded') return { refunded: false, reason: `payment is ${intent.status}` };
    const refund = await this.provider.refund(intent.id, payload.orderId, ctx);
    ctx.logger.log('payment refunded', { orderId: payload.orderId, refundId: refund.id });
    return { refunded: true, refundId: refund.id };
  }

  /** The intent `payments.create-payment` created, while its result is still kept. */
  private async knownIntentId(orderId: string): Promise<string | undefined> {
    const statuses = await this.tasks.listByCorrelation(`order-${orderId}`);
    const created = statuses.find((s) => s.task === 'payments.create-payment' && s.state === 'completed');
    return (created?.result as CreatePaymentResult | undefined)?.paymentIntentId;
  }
}

/** Runs on `order.cancelled`. */
export const refundPayment = defineTask({
  name: 'payments.refund',
  payload: OrderCancelledPayload,
  handler: RefundPaymentHandler,
  retry: PAYMENT_RETRY,
  timeoutMs: 30_000,
});
