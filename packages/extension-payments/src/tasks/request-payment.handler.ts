import type { TaskContext, TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import type { OrderPlacedPayload } from './order-placed.payload.js';

/**
 * Result of `payments.request-payment`.
 *
 * @example
 * ```ts
 * (status.result as PaymentRequest).amount;
 * ```
 */
export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  /** The key the payment provider will see for this order's payment intent. */
  idempotencyKey: string;
}

/**
 * Turns a placed order into a payment request with its provider idempotency key.
 * Creating the intent at the payment provider is the next step of this handler.
 */
@Injectable()
export class RequestPaymentHandler implements TaskHandler<OrderPlacedPayload, PaymentRequest> {
  async run(payload: OrderPlacedPayload, ctx: TaskContext): Promise<PaymentRequest> {
    const request = {
      orderId: payload.orderId,
      amount: payload.amount,
      currency: payload.currency,
      idempotencyKey: `payment-${payload.orderId}-intent`,
    };
    ctx.logger.log('payment requested', { orderId: payload.orderId, amount: payload.amount });
    return request;
  }
}
