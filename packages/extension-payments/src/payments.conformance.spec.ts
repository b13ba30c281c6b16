import { describeExtensionConformance, FakePaymentProvider } from '@coordinator/testing';
import { randomUUID } from 'node:crypto';
import payments from './index.js';
import { createStripe } from './provider/stripe-factory.js';
import { ordersStandIn } from './testing/orders-stand-in.js';

const orderIds = { create: randomUUID(), capture: randomUUID(), refund: randomUUID(), event: randomUUID() };

/** The provider hands out intent ids, so setup fills this one in before the tasks run. */
const captureSample = { orderId: orderIds.capture, paymentIntentId: 'pi_created_by_setup' };

describeExtensionConformance(payments, {
  partners: [ordersStandIn],
  samples: {
    'payments.create-payment': {
      orderId: orderIds.create,
      customerId: 'c-conformance',
      omsOrderId: 'oms_conformance',
      amount: 2500,
      currency: 'EUR',
      paymentMethod: 'pm_card_visa',
    },
    'payments.capture-payment': captureSample,
    'payments.process-event': {
      eventId: 'evt_conformance',
      type: 'payment_intent.succeeded',
      orderId: orderIds.event,
      paymentIntentId: 'pi_conformance',
      amount: 2500,
      currency: 'EUR',
    },
    'payments.refund': { orderId: orderIds.refund, reason: 'conformance check' },
  },
  setup: async () => {
    const provider = new FakePaymentProvider();
    await provider.start();
    // An authorised payment to capture, and a captured one to refund.
    const stripe = await createStripe(provider.apiKey, provider.url, 5_000);
    const intent = (orderId: string, capture: 'manual' | 'automatic') =>
      stripe.paymentIntents.create({
        amount: 2500,
        currency: 'eur',
        capture_method: capture,
        confirm: true,
        payment_method: 'pm_card_visa',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        metadata: { orderId },
      });
    captureSample.paymentIntentId = (await intent(orderIds.capture, 'manual')).id;
    await intent(orderIds.refund, 'automatic');
    return {
      env: {
        PAYMENTS_PROVIDER_URL: provider.url,
        PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
        PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
      },
      teardown: () => provider.close(),
    };
  },
});
