/*
 * Order management goes away under the orders extension running on real Redis with real
 * BullMQ workers: the `order-management` breaker (5 failures, trial after 10 s) opens,
 * orders placed meanwhile wait in the delayed set without spending an attempt, and once
 * the service is back every order is submitted, exactly once at the service.
 */
import { eventually, FakeOrderManagement, startTestCoordinator, type TestCoordinator } from '@coordinator/testing';
import type { TaskStatus } from '@coordinator/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { OrderAccepted } from './http/orders.controller.js';
import orders, { orderManagement, submitOrder } from './index.js';
import { paymentsStandIn } from './testing/payments-stand-in.js';

const body = { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1250 }] };

describe('orders while order management is down (redis mode)', () => {
  let oms: FakeOrderManagement;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    oms = new FakeOrderManagement();
    await oms.start();
    coordinator = await startTestCoordinator({
      extensions: [orders, paymentsStandIn],
      mode: 'redis',
      env: { ORDERS_OMS_URL: oms.url },
    });
  });
  afterAll(async () => {
    await coordinator?.close();
    await oms.close();
  });

  const place = async () => {
    const res = await coordinator.http.post<OrderAccepted>('/orders', body, {
      'idempotency-key': `key-${randomUUID()}`,
    });
    expect(res.status).toBe(202);
    return res.body;
  };

  it('opens the breaker, defers orders without spending attempts, and submits each once after recovery', async () => {
    expect(orderManagement.breaker).toEqual({ consecutiveFailures: 5, halfOpenAfterMs: 10_000 });
    oms.faults.set({ downUntil: Date.now() + 120_000 });
    const early = await Promise.all(Array.from({ length: 5 }, place));
    await eventually(
      () => coordinator.worker.guards.state('order-management'),
      (s) => s === 'open',
      { what: 'the breaker open', timeoutMs: 20_000, intervalMs: 20 },
    );

    const late = await Promise.all(Array.from({ length: 3 }, place));
    await eventually(
      () => late.filter((o) => coordinator.journal.deferred(submitOrder.name).some((d) => d.taskId === o.taskId)),
      (deferred) => deferred.length === late.length,
      { what: 'every order placed while open deferred', timeoutMs: 20_000, intervalMs: 20 },
    );
    for (const { taskId } of late) {
      expect(await coordinator.status(taskId)).toMatchObject({ state: 'delayed', attemptsMade: 0 });
    }
    oms.faults.reset();

    // The first trial call is due 10 s after the breaker opened.
    await coordinator.waitForIdle({ timeoutMs: 25_000 });
    expect(coordinator.worker.guards.state('order-management')).toBe('closed');
    for (const { taskId, orderId } of [...early, ...late]) {
      const status = (await coordinator.status(taskId)) as TaskStatus;
      expect(status).toMatchObject({ state: 'completed' });
      const failedCalls = coordinator.journal.failed(submitOrder.name).filter((f) => f.taskId === taskId);
      expect(status.attemptsMade).toBe(failedCalls.length + 1);
      expect(oms.orders().filter((o) => o.orderId === orderId)).toHaveLength(1);
    }
    for (const { taskId } of late) expect(await coordinator.status(taskId)).toMatchObject({ attemptsMade: 1 });
    expect(coordinator.journal.entries.filter((e) => e.type === 'failed' && !e.willRetry)).toEqual([]);
  }, 45_000);
});
