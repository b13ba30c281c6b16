import { defineSignal } from '@coordinator/core';
import { IsInt, IsString, IsUUID, Min } from 'class-validator';

/**
 * Payload of `payment.refunded`.
 *
 * @example
 * ```ts
 * await ctx.emit(paymentRefunded, { orderId, paymentIntentId: 'pi_1', amountRefunded: 3998 });
 * ```
 */
export class PaymentRefunded {
  @IsUUID()
  orderId!: string;

  @IsString()
  paymentIntentId!: string;

  @IsInt()
  @Min(0)
  amountRefunded!: number;
}

/** Emitted when the provider reports a refund. Nothing needs to handle it. */
export const paymentRefunded = defineSignal({ name: 'payment.refunded', payload: PaymentRefunded, optional: true });
