import { defineTask, PermanentError, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { PaymentProvider } from '../provider/payment-provider.js';
import { paymentProvider } from '../provider/payment-provider.downstream.js';
import { PaymentDeclinedError } from '../provider/provider-errors.js';
import { PaymentsSettings } from '../payments.settings.js';
import { capturePayment } from './capture-payment.task.js';
import { OrderPlacedPayload } from './order-placed.payload.js';
import { PAYMENT_RETRY } from './payment-retry.js';

/**
 * Result of `payments.create-payment`.
 *
 * @example
 * ```ts
 * (status.result as CreatePaymentResult).paymentIntentId;
 * ```
 */
export interface CreatePaymentResult {
  paymentIntentId?: string;
  status: string;
}

/**
 * Authorises the order's payment (a payment intent confirmed for manual capture), then
 * hands the capture to its own task. The intent's key derives from the order, so a
 * retry never creates a second one. The outcome reaches the other extensions through
 * the provider's webhooks (`payment.captured`, `payment.failed`), not from here, so
 * each outcome is announced exactly once.
 */
@Injectable()
export class CreatePaymentHandler implements TaskHandler<OrderPlacedPayload, CreatePaymentResult> {
  constructor(
    private readonly provider: PaymentProvider,
    private readonly settings: PaymentsSettings,
  ) {}

  async run(payload: OrderPlacedPayload, ctx: TaskContext): Promise<CreatePaymentResult> {
    const paymentMethod = payload.paymentMethod ?? this.settings.PAYMENTS_DEFAULT_PAYMENT_METHOD;
    if (!paymentMethod) throw new PermanentError(`order ${payload.orderId} names no payment method`);
    try {
      const intent = await this.provider.createIntent({ ...payload, paymentMethod }, ctx);
      if (intent.status === 'requires_capture') {
        await ctx.dispatch(capturePayment, { orderId: payload.orderId, paymentIntentId: intent.id });
      }
      ctx.logger.log('payment authorised', { orderId: payload.orderId, paymentIntentId: intent.id });
      return { paymentIntentId: intent.id, status: intent.status };
    } catch (error) {
      if (!(error instanceof PaymentDeclinedError)) throw error;
      ctx.logger.warn('payment declined', { orderId: payload.orderId, reason: error.message });
      return { status: 'declined' };
    }
  }
}

/** Runs on `order.placed`. */
export const createPayment = defineTask({
  name: 'payments.create-payment',
  payload: OrderPlacedPayload,
  handler: CreatePaymentHandler,
  retry: PAYMENT_RETRY,
  timeoutMs: 30_000,
  downstreams: [paymentProvider],
});
