import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches, ValidateNested } from 'class-validator';
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
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  lines!: OrderLine[];
}
