import { IsInt, IsString, IsUUID, Matches, Min } from 'class-validator';

/**
 * What orders needs from `payment.captured` (declared here: extensions never import
 * each other).
 *
 * @example
 * ```ts
 * const p: PaymentCapturedPayload = { orderId, paymentIntentId: 'pi_1', amount: 3998, currency: 'EUR' };
 * ```
 */
export class PaymentCapturedPayload {
  @IsUUID()
  orderId!: string;

  @IsString()
  paymentIntentId!: string;

  @IsInt()
  @Min(0)
  amount!: number;

  @Matches(/^[A-Z]{3}$/)
  currency!: string;
}
