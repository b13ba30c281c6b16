import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

/**
 * One line of an order. Prices are integers in the currency's minor unit (cents).
 *
 * @example
 * ```ts
 * const line: OrderLine = { sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 };
 * ```
 */
export class OrderLine {
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'sku may contain letters, digits, dot, dash and underscore' })
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPrice!: number;
}
