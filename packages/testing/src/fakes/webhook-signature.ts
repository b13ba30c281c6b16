import { createHmac } from 'node:crypto';

/**
 * The `Stripe-Signature` header for a webhook body: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>" keyed by the endpoint secret>`, which
 * `stripe.webhooks.constructEvent(body, header, secret)` verifies.
 *
 * @param payload the exact bytes sent; the receiver must verify these, not a re-serialisation.
 * @param timestamp unix seconds; Stripe re-signs each retry with a fresh one.
 * @example
 * ```ts
 * const header = signWebhookPayload(body, 'whsec_fake', Math.floor(Date.now() / 1000));
 * // 't=1764288000,v1=5257a869…'
 * ```
 */
export function signWebhookPayload(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
