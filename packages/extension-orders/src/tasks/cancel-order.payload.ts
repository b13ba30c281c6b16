import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/**
 * Payload of `orders.cancel`.
 *
 * @example
 * ```ts
 * await dispatcher.dispatch(cancelOrder, { orderId, reason: 'customer request' });
 * ```
 */
export class CancelOrderPayload {
  @IsUUID()
  orderId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}
