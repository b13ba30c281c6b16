import { IsString, IsUUID } from 'class-validator';

/**
 * Payload of `payments.capture-payment`.
 *
 * @example
 * ```ts
 * await ctx.dispatch(capturePayment, { orderId, paymentIntentId: intent.id });
 * ```
 */
export class CapturePaymentPayload {
  @IsUUID()
  orderId!: string;

  @IsString()
  paymentIntentId!: string;
}
