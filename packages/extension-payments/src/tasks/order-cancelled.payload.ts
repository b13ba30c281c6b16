import { IsOptional, IsString, IsUUID } from 'class-validator';

/**
 * What payments needs from `order.cancelled`.
 *
 * @example
 * ```ts
 * const p: OrderCancelledPayload = { orderId };
 * ```
 */
export class OrderCancelledPayload {
  @IsUUID()
  orderId!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}
