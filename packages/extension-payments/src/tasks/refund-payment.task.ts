import { defineTask, RetryableError, TaskStatusReader, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { PaymentProvider } from '../provider/payment-provider.js';
import { paymentProvider } from '../provider/payment-provider.downstream.js';
import { capturePayment } from './capture-payment.task.js';
import { createPayment, type CreatePaymentResult } from './create-payment.task.js';
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
    const known = await this.knownPayment(payload.orderId);
    // Our own tasks already say the payment was captured: one provider call is enough.
    if (known.intentId && known.captured) return this.refund(known.intentId, payload.orderId, ctx);
    const intent = await this.provider.findIntent(payload.orderId, ctx, known.intentId);
    if (!intent) return { refunded: false, reason: 'no payment for this order' };
    if (intent.status === 'requires_capture' || intent.status === 'processing') {
      // Being captured right now: wait for it rather than leave money behind.
      throw new RetryableError(`payment ${intent.id} is ${intent.status}; refund after capture`);
    }
    if (intent.status !== 'succeeded') return { refunded: false, reason: `payment is ${intent.status}` };
    return this.refund(intent.id, payload.orderId, ctx);
  }

  private async refund(intentId: string, orderId: string, ctx: TaskContext): Promise<RefundResult> {
    const refund = await this.provider.refund(intentId, orderId, ctx);
    ctx.logger.log('payment refunded', { orderId, refundId: refund.id });
    return { refunded: true, refundId: refund.id };
  }

  /** What this extension's own tasks for the order recorded, while their results are kept. */
  private async knownPayment(orderId: string): Promise<{ intentId?: string; captured: boolean }> {
    const statuses = await this.tasks.listByCorrelation(`order-${orderId}`);
    const completed = (task: string) => statuses.find((s) => s.task === task && s.state === 'completed');
    const intentId = (completed(createPayment.name)?.result as CreatePaymentResult | undefined)?.paymentIntentId;
    return { intentId, captured: completed(capturePayment.name) !== undefined };
  }
}

/** Runs on `order.cancelled`. */
export const refundPayment = defineTask({
  name: 'payments.refund',
  payload: OrderCancelledPayload,
  handler: RefundPaymentHandler,
  retry: PAYMENT_RETRY,
  timeoutMs: 30_000,
  downstreams: [paymentProvider],
});
