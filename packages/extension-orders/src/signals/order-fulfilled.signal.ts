import { defineSignal } from '@coordinator/core';
import { IsUUID } from 'class-validator';

/**
 * Payload of `order.fulfilled`.
 *
 * @example
 * ```ts
 * await ctx.emit(orderFulfilled, { orderId });
 * ```
 */
export class OrderFulfilled {
  @IsUUID()
  orderId!: string;
}

/** Emitted once order management has fulfilled a paid order. Nothing needs to handle it. */
export const orderFulfilled = defineSignal({ name: 'order.fulfilled', payload: OrderFulfilled, optional: true });
