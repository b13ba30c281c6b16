import { IsInt, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/**
 * What payments needs from `order.placed`. Declared here, not imported: extensions
 * never import each other, and this DTO validates what the signal delivers.
 *
 * @example
 * ```ts
 * const p: OrderPlacedPayload = { orderId, customerId: 'c-1', omsOrderId: 'oms_1', amount: 3998, currency: 'EUR' };
 * ```
 */
export class OrderPlacedPayload {
  @IsUUID()
  orderId!: string;

  @IsString()
  customerId!: string;

  @IsString()
  omsOrderId!: string;

  @IsInt()
  @Min(0)
  amount!: number;

  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @IsOptional()
  @Matches(/^pm_[A-Za-z0-9_]{1,64}$/)
  paymentMethod?: string;
}
