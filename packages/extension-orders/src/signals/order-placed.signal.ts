import { defineSignal } from '@coordinator/core';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/**
 * Payload of `order.placed`: the order-management service has the order.
 *
 * @example
 * ```ts
 * await ctx.emit(orderPlaced, { orderId, customerId, omsOrderId, amount: 3998, currency: 'EUR' });
 * ```
 */
export class OrderPlaced {
  @IsUUID()
  orderId!: string;

  @IsString()
  customerId!: string;

  @IsString()
  omsOrderId!: string;

  /** Total in minor units. */
  @IsInt()
  @Min(0)
  amount!: number;

  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  /** The provider token of the customer's payment method, when the order named one. */
  @IsOptional()
  @Matches(/^pm_[A-Za-z0-9_]{1,64}$/)
  paymentMethod?: string;
}

/** Emitted once the order-management service has created the order. */
export const orderPlaced = defineSignal({ name: 'order.placed', payload: OrderPlaced });
