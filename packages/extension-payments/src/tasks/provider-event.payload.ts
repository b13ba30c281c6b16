import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';

/** Provider events the coordinator acts on. */
export const HANDLED_EVENT_TYPES = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'charge.refunded',
] as const;

/**
 * Payload of `payments.process-event`: the parts of a verified provider event that
 * matter, without card data (the provider keeps it; only ids and amounts travel).
 *
 * @example
 * ```ts
 * const p: ProviderEventPayload = { eventId: 'evt_1', type: 'payment_intent.succeeded', orderId, paymentIntentId: 'pi_1', amount: 3998, currency: 'EUR' };
 * ```
 */
export class ProviderEventPayload {
  @IsString()
  @Length(1, 255)
  eventId!: string;

  @IsIn(HANDLED_EVENT_TYPES)
  type!: (typeof HANDLED_EVENT_TYPES)[number];

  @IsUUID()
  orderId!: string;

  @IsString()
  paymentIntentId!: string;

  @IsInt()
  @Min(0)
  amount!: number;

  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  amountRefunded?: number;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  failureReason?: string;
}
