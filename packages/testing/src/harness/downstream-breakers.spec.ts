/*
 * Circuit breakers and bulkheads per downstream, end to end through the executor and the
 * transport: in-process, and against real Redis with real BullMQ workers. Order
 * management goes away; the breaker opens after three failed calls; the jobs that come
 * later wait in the delayed set without spending an attempt or failing; once it is back
 * every order is created exactly once. The bulkhead keeps the calls in flight at two.
 */
import type { TaskStatus } from '@coordinator/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { FakeOrderManagement } from '../fakes/fake-order-management.js';
import { breakersExtension, callUndeclared, omsCalls, placeOrder } from './fixtures/breaker-extension.js';
import { eventually } from './eventually.js';
import { startTestCoordinator, type TestCoordinator, type TestMode } from './start-test-coordinator.js';

describe.each<TestMode>(['inline', 'redis'])('downstream breakers and bulkheads (%s mode)', (mode) => {
  let oms: FakeOrderManagement;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    oms = new FakeOrderManagement();
    await oms.start();
  });
  afterAll(() => oms.close());
  beforeEach(async () => {
    omsCalls.inFlight = 0;
    omsCalls.most = 0;
    coordinator = await startTestCoordinator({
      extensions: [breakersExtension],
      mode,
      env: { BREAKERS_OMS_URL: oms.url },
    });
  });
  afterEach(async () => {
    oms.faults.reset();
    await coordinator.close();
  });

  const statuses = (ids: readonly string[]) =>
    Promise.all(ids.map(async (id) => (await coordinator.status(id)) as TaskStatus));
  const dispatch = (orderIds: readonly string[]) =>
    Promise.all(
      orderIds.map(async (orderId) => (await coordinator.dispatcher.dispatch(placeOrder, { orderId })).taskId),
    );
  const ordersAt = (orderIds: readonly string[]) =>
    orderIds.map((orderId) => oms.orders().filter((o) => o.orderId === orderId).length);

  async function failedInRedis(): Promise<number> {
    if (mode !== 'redis') return 0;
    const queue = new Queue('breakers', { prefix: coordinator.prefix!, connection: { url: process.env.REDIS_URL! } });
    try {
      return (await queue.getJobCounts('failed')).failed ?? 0;
    } finally {
      await queue.close();
    }
  }

  it('opens while order management is down, defers later jobs without an attempt, and drains once it is back', async () => {
    const run = randomUUID().slice(0, 8);
    oms.faults.set({ downUntil: Date.now() + 60_000 });
    const first = [1, 2, 3].map((n) => `down-${run}-${n}`);
    const firstIds = await dispatch(first);
    await eventually(
      () => coordinator.worker.guards.state('oms-probe'),
      (s) => s === 'open',
      { what: 'the breaker open', intervalMs: 10 },
    );

    // Jobs arriving while it is open wait before they start: no run, no attempt, no failure.
    const later = [4, 5, 6, 7, 8].map((n) => `down-${run}-${n}`);
    const laterIds = await dispatch(later);
    await eventually(
      () => laterIds.filter((id) => coordinator.journal.deferred(placeOrder.name).some((d) => d.taskId === id)),
      (deferred) => deferred.length === laterIds.length,
      { what: 'every later job deferred', intervalMs: 10 },
    );
    for (const status of await statuses(laterIds)) {
      expect(status).toMatchObject({ state: 'delayed', attemptsMade: 0 });
    }
    const deferrals = coordinator.journal.deferred(placeOrder.name).filter((d) => laterIds.includes(d.taskId));
    expect(deferrals.every((d) => d.reason === 'downstream-unavailable' && d.delayMs >= 1_000)).toBe(true);
    expect(coordinator.journal.started(placeOrder.name).filter((s) => laterIds.includes(s.taskId))).toEqual([]);
    expect(coordinator.journal.entries.filter((e) => e.type === 'failed' && !e.willRetry)).toEqual([]);
    expect(await failedInRedis()).toBe(0);

    oms.faults.reset();
    await coordinator.waitForIdle({ timeoutMs: 20_000 });

    const all = [...firstIds, ...laterIds];
    for (const status of await statuses(all)) {
      expect(status).toMatchObject({ state: 'completed', result: { omsId: expect.stringMatching(/^oms_/) } });
      // Every attempt spent was a real call that failed or the one that succeeded.
      const failedCalls = coordinator.journal.failed(placeOrder.name).filter((f) => f.taskId === status.taskId);
      expect(status.attemptsMade).toBe(failedCalls.length + 1);
    }
    expect(ordersAt([...first, ...later])).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(coordinator.worker.guards.state('oms-probe')).toBe('closed');
    expect(await failedInRedis()).toBe(0);
  }, 30_000);

  it('never has more calls in flight than the bulkhead allows; the overflow waits without spending attempts', async () => {
    const run = randomUUID().slice(0, 8);
    oms.faults.set({ latencyMs: 150 });
    let mostAtTheFake = 0;
    const sampler = setInterval(() => (mostAtTheFake = Math.max(mostAtTheFake, oms.faults.pending)), 5);
    try {
      const orderIds = Array.from({ length: 12 }, (_, n) => `busy-${run}-${n}`);
      const taskIds = await dispatch(orderIds);
      await coordinator.waitForIdle({ timeoutMs: 20_000 });

      for (const status of await statuses(taskIds)) {
        expect(status).toMatchObject({ state: 'completed', attemptsMade: 1 });
      }
      expect(ordersAt(orderIds)).toEqual(orderIds.map(() => 1));
      expect(omsCalls.most).toBe(2);
      expect(mostAtTheFake).toBeLessThanOrEqual(2);
      expect(mostAtTheFake).toBeGreaterThan(0);
      // Twelve jobs at once, two calls in flight and two waiting: the rest came back later.
      const deferred = coordinator.journal.deferred(placeOrder.name);
      expect(deferred.length).toBeGreaterThan(0);
      expect(deferred.every((d) => d.reason === 'downstream-unavailable')).toBe(true);
      expect(coordinator.journal.failed(placeOrder.name)).toEqual([]);
      expect(coordinator.worker.guards.state('oms-probe')).toBe('closed');
    } finally {
      clearInterval(sampler);
    }
  }, 30_000);

  it('fails a task that calls a downstream it does not declare, at once and naming both', async () => {
    const { taskId } = await coordinator.dispatcher.dispatch(callUndeclared, { orderId: 'x' });
    await coordinator.waitForIdle();
    expect(await coordinator.status(taskId)).toMatchObject({
      state: 'failed',
      attemptsMade: 1,
      failureReason:
        'task breakers.call-undeclared calls downstream "somewhere-else", which it does not declare: add it to the task\'s downstreams',
    });
  });
});
