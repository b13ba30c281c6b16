import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { PaymentsSettings } from '../payments.settings.js';
import { providerEventPayload } from './provider-event.mapper.js';
import { WebhookVerifier } from './webhook-verifier.js';

const secret = 'whsec_test_verifier';
const stripe = new Stripe('sk_test_unused', { telemetry: false });
const verifier = new WebhookVerifier(Object.assign(new PaymentsSettings(), { PAYMENTS_STRIPE_WEBHOOK_SECRET: secret }));

/** What the verifier answers for these bytes, signed with the endpoint's secret. */
async function verifySigned(payload: string): Promise<Stripe.Event | string[]> {
  try {
    return await verifier.verify(Buffer.from(payload), stripe.webhooks.generateTestHeaderString({ payload, secret }));
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: string[] }).message;
    throw error;
  }
}

const event = (object: Record<string, unknown>) =>
  ({
    id: 'evt_1',
    object: 'event',
    type: 'payment_intent.succeeded',
    created: 1,
    data: { object },
  }) as unknown as Stripe.Event;

describe('WebhookVerifier', () => {
  it.each([
    'null',
    '[]',
    '42',
    '"text"',
    '{}',
    '{"id":"evt_1","type":"charge.refunded"}',
    '{"id":1,"type":"x","data":{"object":{}}}',
  ])('refuses signed bytes that are not a Stripe event: %s', async (payload) => {
    expect(await verifySigned(payload)).toEqual([
      'webhook body is not a Stripe event: expected an object with id, type and data.object',
    ]);
  });

  it('passes a signed event on', async () => {
    expect(await verifySigned(JSON.stringify(event({ id: 'pi_1' })))).toMatchObject({ id: 'evt_1' });
  });
});

describe('providerEventPayload', () => {
  it('passes fields of unexpected types on for validation to name, instead of failing on them', () => {
    const orderId = randomUUID();
    expect(
      providerEventPayload(
        event({
          object: 'payment_intent',
          id: 'pi_1',
          amount: 5,
          currency: 7,
          metadata: { orderId },
          last_payment_error: { code: 9 },
        }),
      ),
    ).toEqual({
      eventId: 'evt_1',
      type: 'payment_intent.succeeded',
      orderId,
      paymentIntentId: 'pi_1',
      amount: 5,
      currency: 7,
    });
    expect(
      providerEventPayload(event({ object: 'payment_intent', id: 'pi_1', amount: 5, currency: 'eur', metadata: 'x' })),
    ).toBeUndefined();
  });
});
