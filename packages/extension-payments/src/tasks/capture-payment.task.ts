import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { PaymentProvider } from '../provider/payment-provider.js';
import { paymentProvider } from '../provider/payment-provider.downstream.js';
import { CapturePaymentPayload } from './capture-payment.payload.js';
import { PAYMENT_RETRY } from './payment-retry.js';

/**
 * Captures an authorised payment. Its own task, so a failing capture retries without
 * repeating the authorisation; its key derives from the order, so it captures once.
 */
@Injectable()
export class CapturePaymentHandler implements TaskHandler<CapturePaymentPayload, { status: string }> {
  constructor(private readonly provider: PaymentProvider) {}

  async run(payload: CapturePaymentPayload, ctx: TaskContext): Promise<{ status: string }> {
    const intent = await this.provider.capture(payload.paymentIntentId, payload.orderId, ctx);
    ctx.logger.log('payment captured', { orderId: payload.orderId, paymentIntentId: intent.id });
    return { status: intent.status };
  }
}

/** Dispatched by `payments.create-payment` once the payment is authorised. */
export const capturePayment = defineTask({
  name: 'payments.capture-payment',
  payload: CapturePaymentPayload,
  handler: CapturePaymentHandler,
  retry: PAYMENT_RETRY,
  timeoutMs: 30_000,
  downstreams: [paymentProvider],
});
