import { defineSignal } from '@coordinator/core';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/**
 * Payload of `order.cancelled`: order management has cancelled the order.
 *
 * @example
 * ```ts
 * await ctx.emit(orderCancelled, { orderId, reason: 'customer request' });
 * ```
 */
export class OrderCancelled {
  @IsUUID()
  orderId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

/** Emitted once order management has cancelled an order; payments refunds it. */
export const orderCancelled = defineSignal({ name: 'order.cancelled', payload: OrderCancelled });
