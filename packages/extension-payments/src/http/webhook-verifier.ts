import { BadRequestException, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { PaymentsSettings } from '../payments.settings.js';
import { loadStripe } from '../provider/stripe-sdk.js';

/** How far a signature's timestamp may be from now, in the past or the future. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks a provider webhook with the official Stripe library: HMAC-SHA256 over
 * `t.rawBody` with the endpoint secret, any of several `v1` signatures, and a
 * timestamp within the tolerance. Stripe's library bounds only the past; a timestamp
 * from the future is refused here too, so a captured request cannot be replayed later.
 */
@Injectable()
export class WebhookVerifier {
  // Verification is local computation; the key is never used for a request. The SDK is loaded
  // with the first webhook (see loadStripe).
  private stripe: Stripe | undefined;

  constructor(private readonly settings: PaymentsSettings) {}

  async verify(rawBody: Buffer | undefined, header: string | undefined, now = Date.now()): Promise<Stripe.Event> {
    if (!rawBody || rawBody.length === 0) throw new BadRequestException(['webhook body is empty']);
    if (!header) throw new BadRequestException(['Stripe-Signature header is missing']);
    const timestamp = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
    if (Number.isFinite(timestamp) && timestamp - Math.floor(now / 1000) > SIGNATURE_TOLERANCE_SECONDS) {
      throw new BadRequestException(['Stripe-Signature timestamp is in the future']);
    }
    if (!this.stripe) {
      const Sdk = await loadStripe();
      this.stripe ??= new Sdk('sk_verify_only', { telemetry: false });
    }
    let event: unknown;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        header,
        this.settings.PAYMENTS_STRIPE_WEBHOOK_SECRET,
        SIGNATURE_TOLERANCE_SECONDS,
        undefined,
        now,
      );
    } catch (error) {
      throw new BadRequestException([`Stripe-Signature rejected: ${(error as Error).message}`]);
    }
    // The signature proves who sent the bytes, not that they are an event.
    if (!isEvent(event)) {
      throw new BadRequestException([
        'webhook body is not a Stripe event: expected an object with id, type and data.object',
      ]);
    }
    return event;
  }
}

function isEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, type, data } = value as { id?: unknown; type?: unknown; data?: { object?: unknown } | null };
  return typeof id === 'string' && typeof type === 'string' && typeof data?.object === 'object' && data.object !== null;
}
