import type Stripe from 'stripe';
import { loadStripe } from './stripe-sdk.js';

/**
 * A Stripe client aimed at `baseUrl`. The package's own retries are off: they would
 * reuse one random idempotency key per call, while the coordinator's tasks retry with
 * their own deterministic keys, so a retried task never charges twice. Calls go through
 * `fetch`, like every other downstream call, so tracing sees them through undici's
 * diagnostics channel without patching ES modules.
 */
export async function createStripe(apiKey: string, baseUrl: string, timeoutMs: number): Promise<Stripe> {
  const Stripe = await loadStripe();
  const url = new URL(baseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(apiKey, {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
    maxNetworkRetries: 0,
    timeout: timeoutMs,
    telemetry: false,
    httpClient: Stripe.createFetchHttpClient(),
  });
}
