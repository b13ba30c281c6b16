import { FakeOrderManagement, startTestCoordinator, type TestCoordinator, type TestMode } from '@coordinator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { OrderAccepted } from './http/orders.controller.js';
import { orderCorrelation, type OrderView } from './http/order-view.js';
import orders from './index.js';
import { paymentCaptured, paymentFailed, paymentsStandIn, seen } from './testing/payments-stand-in.js';

const body = { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 3, unitPrice: 1250 }] };

describe.each<TestMode>(['inline', 'redis'])('orders extension (%s mode)', (mode) => {
  let oms: FakeOrderManagement;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    oms = new FakeOrderManagement();
    await oms.start();
  });
  afterAll(() => oms.close());
  afterEach(() => coordinator?.close());

  async function start() {
    coordinator = await startTestCoordinator({
      extensions: [orders, paymentsStandIn],
      mode,
      env: { ORDERS_OMS_URL: oms.url },
    });
    return coordinator;
  }

  async function place(key = `key-${randomUUID()}`) {
    const res = await coordinator.http.post<OrderAccepted>('/orders', body, { 'idempotency-key': key });
    expect(res.status).toBe(202);
    await coordinator.waitForIdle();
    return res.body;
  }

  const view = async (orderId: string) => (await coordinator.http.get<OrderView>(`/orders/${orderId}`)).body;

  it('submits the order with an idempotency key per order and step, then emits order.placed', async () => {
    await start();
    const accepted = await place();
    const created = oms.orders().filter((o) => o.orderId === accepted.orderId);
    expect(created).toHaveLength(1);
    expect(created[0]!.idempotencyKey).toBe(`order-${accepted.orderId}-submit`);
    expect(
      seen.find((s) => s.signal === 'order.placed' && s.payload.orderId === accepted.orderId)?.payload,
    ).toMatchObject({ amount: 3750, currency: 'EUR', omsOrderId: created[0]!.id });
    expect(await view(accepted.orderId)).toMatchObject({ stage: 'submitted' });
  });

  it('answers a repeated request with the first answer, and a reused key with another body with 422', async () => {
    await start();
    const key = `key-${randomUUID()}`;
    const first = await place(key);
    const again = await coordinator.http.post<OrderAccepted>('/orders', body, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first);
    const other = await coordinator.http.post('/orders', { ...body, currency: 'USD' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    await coordinator.waitForIdle();
    expect(oms.orders().filter((o) => o.orderId === first.orderId)).toHaveLength(1);
  });

  it('refuses a request without an Idempotency-Key or with a bad body, naming the problem', async () => {
    await start();
    const noKey = await coordinator.http.post<{ message: string[] }>('/orders', body);
    expect(noKey.status).toBe(400);
    expect(noKey.body.message[0]).toMatch(/Idempotency-Key/);
    const bad = await coordinator.http.post<{ message: string[] }>(
      '/orders',
      { ...body, lines: [{ sku: 'MUG', quantity: 0, unitPrice: 1 }] },
      { 'idempotency-key': `key-${randomUUID()}` },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('lines.0.quantity must not be less than 1');
  });

  it('fulfils on payment.captured', async () => {
    await start();
    const { orderId } = await place();
    await coordinator.dispatcher.emit(
      paymentCaptured,
      { orderId, paymentIntentId: 'pi_1', amount: 3750, currency: 'EUR' },
      { correlationId: orderCorrelation(orderId) },
    );
    await coordinator.waitForIdle();
    expect(oms.orders().find((o) => o.orderId === orderId)?.status).toBe('fulfilled');
    expect(await view(orderId)).toMatchObject({ stage: 'fulfilled' });
  });

  it('flags the order for attention on payment.failed', async () => {
    await start();
    const { orderId } = await place();
    await coordinator.dispatcher.emit(
      paymentFailed,
      { orderId, reason: 'card_declined' },
      { correlationId: orderCorrelation(orderId) },
    );
    await coordinator.waitForIdle();
    expect(oms.orders().find((o) => o.orderId === orderId)?.attention).toBe('payment failed: card_declined');
    expect(await view(orderId)).toMatchObject({ stage: 'needs-attention' });
  });

  it('cancels once, however often it is asked, and emits order.cancelled', async () => {
    await start();
    const { orderId } = await place();
    const first = await coordinator.http.post<OrderAccepted>(`/orders/${orderId}/cancel`, { reason: 'changed mind' });
    const second = await coordinator.http.post<OrderAccepted>(`/orders/${orderId}/cancel`, {});
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.taskId).toBe(first.body.taskId);
    await coordinator.waitForIdle();
    expect(oms.orders().find((o) => o.orderId === orderId)?.status).toBe('cancelled');
    expect(seen.filter((s) => s.signal === 'order.cancelled' && s.payload.orderId === orderId)).toHaveLength(1);
    expect(await view(orderId)).toMatchObject({ stage: 'cancelled' });
  });

  it('answers 404 for an unknown order and 400 for an id that is not one', async () => {
    await start();
    expect((await coordinator.http.get(`/orders/${randomUUID()}`)).status).toBe(404);
    expect((await coordinator.http.post(`/orders/${randomUUID()}/cancel`, {})).status).toBe(404);
    expect((await coordinator.http.get('/orders/not-an-id')).status).toBe(400);
  });

  it('retries while order management fails, creating the order once', async () => {
    await start();
    oms.faults.set({ failNext: 2 });
    const { orderId, taskId } = await place();
    await coordinator.waitForIdle({ timeoutMs: 20_000 });
    expect(await coordinator.status(taskId)).toMatchObject({ state: 'completed', attemptsMade: 3 });
    expect(oms.orders().filter((o) => o.orderId === orderId)).toHaveLength(1);
  }, 30_000);
});
