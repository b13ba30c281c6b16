import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

/**
 * Settings of the payments extension, read from the environment by both hosts.
 *
 * @example
 * ```ts
 * constructor(private readonly settings: PaymentsSettings) {}
 * ```
 */
export class PaymentsSettings {
  /** Base URL of the payment provider's API: `https://api.stripe.com`, or a fake. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PAYMENTS_PROVIDER_URL: string = 'https://api.stripe.com';

  @IsString()
  @Matches(/^(sk|rk)_/, { message: 'PAYMENTS_PROVIDER_API_KEY must be a secret or restricted key (sk_… or rk_…)' })
  PAYMENTS_PROVIDER_API_KEY!: string;

  @IsString()
  @Matches(/^whsec_/, { message: 'PAYMENTS_STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)' })
  PAYMENTS_STRIPE_WEBHOOK_SECRET!: string;

  /** Per-request timeout of provider calls made by tasks. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  PAYMENTS_PROVIDER_TIMEOUT_MS: number = 10_000;

  /** Payment method token used for orders that name none (test deployments: `pm_card_visa`). */
  @IsOptional()
  @Matches(/^pm_[A-Za-z0-9_]{1,64}$/)
  PAYMENTS_DEFAULT_PAYMENT_METHOD?: string;
}
