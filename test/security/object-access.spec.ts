/*
 * Object-level access: an order and its tasks are visible only to the caller who placed
 * the order (and to admins), including the tasks that a provider webhook started on the
 * order's behalf. Anyone else gets 404, as for an id that does not exist.
 */
import orders, { type OrderView } from '@coordinator/extension-orders';
import payments from '@coordinator/extension-payments';
import {
  FakeOrderManagement,
  FakePaymentProvider,
  startTestCoordinator,
  type TestCoordinator,
} from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const order = { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 2, unitPrice: 1250 }] };
const shop = ['orders:write', 'orders:read', 'tasks:read', 'payments:read'];

describe('who sees an order', () => {
  let coordinator: TestCoordinator;
  let oms: FakeOrderManagement;
  let provider: FakePaymentProvider;
  let placed: { orderId: string; taskId: string };

  beforeAll(async () => {
    oms = new FakeOrderManagement();
    provider = new FakePaymentProvider({ webhookRetry: { attempts: 5, baseDelayMs: 20 } });
    await Promise.all([oms.start(), provider.start()]);
    coordinator = await startTestCoordinator({
      extensions: [orders, payments],
      mode: 'redis',
      env: {
        ORDERS_OMS_URL: oms.url,
        PAYMENTS_PROVIDER_URL: provider.url,
        PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
        PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
        PAYMENTS_DEFAULT_PAYMENT_METHOD: 'pm_card_visa',
      },
      callers: { alice: shop, bob: shop, auditor: ['admin', 'orders:read', 'tasks:read'] },
    });
    provider.setWebhookUrl(`${coordinator.http.baseUrl}/payments/webhooks/stripe`);
    const res = await coordinator
      .as('alice')
      .post<typeof placed>('/orders', order, { 'idempotency-key': 'order-key-0001' });
    expect(res.status).toBe(202);
    placed = res.body;
    // Fulfilment is started by the provider's webhook, a request without a caller.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const view = await coordinator.as('alice').get<OrderView>(`/orders/${placed.orderId}`);
      if (view.body.stage === 'fulfilled') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 40_000);

  afterAll(async () => {
    await coordinator?.close();
    await Promise.all([oms?.close(), provider?.close()]);
  });

  it('shows the whole order to the caller who placed it, webhook-started tasks included', async () => {
    const view = await coordinator.as('alice').get<OrderView>(`/orders/${placed.orderId}`);
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe('fulfilled');
    const fulfil = view.body.tasks.find((t) => t.task === 'orders.fulfil');
    expect(fulfil).toBeDefined();
    expect((await coordinator.as('alice').get(`/tasks/${fulfil!.taskId}`)).status).toBe(200);
    expect((await coordinator.as('alice').get(`/tasks/${placed.taskId}`)).status).toBe(200);
    expect((await coordinator.as('alice').get(`/payments/${placed.orderId}/receipt`)).status).toBe(200);
  });

  it('answers 404 to another caller, for the order, its tasks, its receipt and its cancellation', async () => {
    const bob = coordinator.as('bob');
    const view = await coordinator.as('alice').get<OrderView>(`/orders/${placed.orderId}`);
    const missing = await bob.get(`/orders/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect((await bob.get(`/orders/${placed.orderId}`)).status).toBe(404);
    for (const task of view.body.tasks) expect((await bob.get(`/tasks/${task.taskId}`)).status).toBe(404);
    expect((await bob.get(`/payments/${placed.orderId}/receipt`)).status).toBe(404);
    expect((await bob.post(`/orders/${placed.orderId}/cancel`, {})).status).toBe(404);
    expect((await coordinator.as('alice').get<OrderView>(`/orders/${placed.orderId}`)).body.stage).toBe('fulfilled');
  });

  it("gives another caller's identical idempotency key another order", async () => {
    const res = await coordinator
      .as('bob')
      .post<typeof placed>('/orders', order, { 'idempotency-key': 'order-key-0001' });
    expect(res.status).toBe(202);
    expect(res.body.orderId).not.toBe(placed.orderId);
    expect(res.body.taskId).not.toBe(placed.taskId);
    const again = await coordinator
      .as('alice')
      .post<typeof placed>('/orders', order, { 'idempotency-key': 'order-key-0001' });
    expect(again.body).toEqual({ ...placed, statusUrl: expect.any(String) });
  });

  it('shows everything to an admin', async () => {
    const view = await coordinator.as('auditor').get<OrderView>(`/orders/${placed.orderId}`);
    expect(view.status).toBe(200);
    expect(view.body.tasks.length).toBeGreaterThan(3);
    expect((await coordinator.as('auditor').get(`/tasks/${placed.taskId}`)).status).toBe(200);
  });
});
