import { defineSignal } from '@coordinator/core';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/**
 * Payload of `payment.failed`.
 *
 * @example
 * ```ts
 * await ctx.emit(paymentFailed, { orderId, paymentIntentId: 'pi_1', reason: 'card_declined' });
 * ```
 */
export class PaymentFailed {
  @IsUUID()
  orderId!: string;

  @IsOptional()
  @IsString()
  paymentIntentId?: string;

  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** Emitted when the provider reports a payment failed; orders flags the order for attention. */
export const paymentFailed = defineSignal({ name: 'payment.failed', payload: PaymentFailed });
