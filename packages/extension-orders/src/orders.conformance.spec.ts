import { describeExtensionConformance, FakeOrderManagement } from '@coordinator/testing';
import { randomUUID } from 'node:crypto';
import orders from './index.js';
import { paymentsStandIn } from './testing/payments-stand-in.js';

/*
 * Fulfil, cancel and flag act on orders that order management already knows (an
 * unknown one is retried as "not there yet"), so setup creates one order for each: then
 * every task completes, whatever order the kit runs them in.
 */
const known = { fulfil: randomUUID(), cancel: randomUUID(), flag: randomUUID() };

async function createOrder(omsUrl: string, orderId: string): Promise<void> {
  const res = await fetch(new URL('/orders', omsUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      orderId,
      customerId: 'c-conformance',
      currency: 'EUR',
      lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1250 }],
    }),
  });
  if (!res.ok) throw new Error(`order management refused order ${orderId}: ${res.status} ${await res.text()}`);
}

describeExtensionConformance(orders, {
  partners: [paymentsStandIn],
  samples: {
    'orders.submit': {
      orderId: randomUUID(),
      customerId: 'c-conformance',
      currency: 'EUR',
      lines: [{ sku: 'MUG', quantity: 2, unitPrice: 1250 }],
      paymentMethod: 'pm_card_visa',
    },
    'orders.fulfil': { orderId: known.fulfil, paymentIntentId: 'pi_conformance', amount: 1250, currency: 'EUR' },
    'orders.cancel': { orderId: known.cancel, reason: 'conformance check' },
    'orders.flag-for-attention': { orderId: known.flag, paymentIntentId: 'pi_conformance', reason: 'card_declined' },
  },
  setup: async () => {
    const oms = new FakeOrderManagement();
    await oms.start();
    for (const orderId of Object.values(known)) await createOrder(oms.url, orderId);
    return { env: { ORDERS_OMS_URL: oms.url }, teardown: () => oms.close() };
  },
});
