import { IsInt, IsUrl, Max, Min } from 'class-validator';

/**
 * Settings of the orders extension, read from the environment by both hosts.
 *
 * @example
 * ```ts
 * constructor(private readonly settings: OrdersSettings) {}
 * ```
 */
export class OrdersSettings {
  /** Base URL of the order-management service. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  ORDERS_OMS_URL!: string;

  /** Per-request timeout towards the order-management service. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  ORDERS_OMS_TIMEOUT_MS: number = 5_000;
}
