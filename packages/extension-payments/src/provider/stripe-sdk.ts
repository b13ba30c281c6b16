import type Stripe from 'stripe';

let loading: Promise<typeof Stripe> | undefined;

/**
 * The Stripe SDK, loaded on first use. It is about 0.2 s and 20 MB of a host's start
 * (docs/performance.md), and neither host needs it before a payment task calls the provider
 * or a webhook arrives: an API host that only takes orders, or a worker consuming only the
 * orders queue, never loads it.
 *
 * @example
 * ```ts
 * const Stripe = await loadStripe();
 * const client = new Stripe(apiKey, { telemetry: false });
 * ```
 */
export function loadStripe(): Promise<typeof Stripe> {
  loading ??= import('stripe').then((module) => module.default);
  return loading;
}
