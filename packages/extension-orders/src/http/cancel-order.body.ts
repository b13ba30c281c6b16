import { IsOptional, IsString, Length } from 'class-validator';

/**
 * Body of `POST /orders/:id/cancel` (may be empty).
 *
 * @example
 * ```json
 * { "reason": "customer request" }
 * ```
 */
export class CancelOrderBody {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}
