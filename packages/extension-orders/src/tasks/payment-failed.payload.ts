import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/**
 * What orders needs from `payment.failed`.
 *
 * @example
 * ```ts
 * const p: PaymentFailedPayload = { orderId, reason: 'card_declined' };
 * ```
 */
export class PaymentFailedPayload {
  @IsUUID()
  orderId!: string;

  @IsOptional()
  @IsString()
  paymentIntentId?: string;

  @IsString()
  @Length(1, 500)
  reason!: string;
}
