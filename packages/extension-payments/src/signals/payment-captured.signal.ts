import { defineSignal } from '@coordinator/core';
import { IsInt, IsString, IsUUID, Matches, Min } from 'class-validator';

/**
 * Payload of `payment.captured`: the provider holds the order's money.
 *
 * @example
 * ```ts
 * await ctx.emit(paymentCaptured, { orderId, paymentIntentId: 'pi_1', amount: 3998, currency: 'EUR' });
 * ```
 */
export class PaymentCaptured {
  @IsUUID()
  orderId!: string;

  @IsString()
  paymentIntentId!: string;

  /** Minor units. */
  @IsInt()
  @Min(0)
  amount!: number;

  @Matches(/^[A-Z]{3}$/)
  currency!: string;
}

/** Emitted when the provider reports a payment succeeded; orders fulfils the order. */
export const paymentCaptured = defineSignal({ name: 'payment.captured', payload: PaymentCaptured });
