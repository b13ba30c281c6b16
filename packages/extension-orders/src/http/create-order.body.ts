import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { OrderLine } from '../order-line.dto.js';

/**
 * Body of `POST /orders`.
 *
 * @example
 * ```json
 * { "customerId": "c-42", "currency": "EUR", "lines": [{ "sku": "TSHIRT-M", "quantity": 2, "unitPrice": 1999 }] }
 * ```
 */
export class CreateOrderBody {
  @IsString()
  @Length(1, 64)
  customerId!: string;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code like EUR' })
  currency!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // @ValidateNested alone lets an array pass as a line: `[[]]` has no line to find fault with.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  lines!: OrderLine[];

  /**
   * The payment method the customer chose, as the payment provider's token (`pm_…`).
   * Card data never passes through the coordinator: only the provider's token does.
   */
  @IsOptional()
  @Matches(/^pm_[A-Za-z0-9_]{1,64}$/, { message: 'paymentMethod must be a payment provider token like pm_card_visa' })
  paymentMethod?: string;
}
