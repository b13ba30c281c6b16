/*
 * One order through separate processes: request → task → order management → signal →
 * payments → provider → webhook → signal → fulfilment; then SIGTERM with a job in
 * flight, and the API's answer while Redis is down.
 */
import type { TaskStatus } from '@coordinator/core';
import type { OrderView } from '@coordinator/extension-orders';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startDeployment, type Deployment } from './support/deployment.js';

const order = { customerId: 'c-42', currency: 'EUR', lines: [{ sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 }] };

describe('order flow across separate processes', () => {
  let d: Deployment;

  beforeAll(async () => {
    d = await startDeployment();
  }, 60_000);
  afterAll(() => d?.stop(), 30_000);

  const post = (idempotencyKey = `e2e-${randomUUID()}`) =>
    d.call(`/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(1_000),
    });

  const task = async (taskId: string) => (await (await d.call(`/tasks/${taskId}`)).json()) as TaskStatus;
  const view = async (orderId: string) => (await (await d.call(`/orders/${orderId}`)).json()) as OrderView;

  it('takes an order from the request to fulfilment across both extensions', async () => {
    const response = await post();
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { orderId: string; taskId: string; statusUrl: string };
    expect(accepted.statusUrl).toBe(`/tasks/${accepted.taskId}`);

    const fulfilled = await eventually(
      () => view(accepted.orderId),
      (v) => v.stage === 'fulfilled',
      {
        what: 'order fulfilled',
      },
    );
    expect(fulfilled.tasks.map((t) => t.task).sort()).toEqual([
      'orders.fulfil',
      'orders.submit',
      'payments.capture-payment',
      'payments.create-payment',
      'payments.process-event',
    ]);
    expect(await task(accepted.taskId)).toMatchObject({ state: 'completed', attemptsMade: 1 });
    expect(d.oms.orders().find((o) => o.orderId === accepted.orderId)?.status).toBe('fulfilled');
    const intent = d.provider.paymentIntents().find((i) => i.metadata['orderId'] === accepted.orderId);
    expect(intent).toMatchObject({ amount: 3998, currency: 'eur', status: 'succeeded' });
  });

  it('lets a job in flight finish when the worker gets SIGTERM, and exits 0', async () => {
    d.oms.faults.set({ latencyMs: 1_500 });
    const accepted = (await (await post()).json()) as { taskId: string };
    await eventually(
      () => task(accepted.taskId),
      (s) => s.state === 'active',
      { what: 'task active' },
    );
    const code = await d.worker.stop('SIGTERM');
    d.oms.faults.reset();
    expect(code).toBe(0);
    // The job finished in the old worker: completed, in one attempt, not left stalled.
    expect(await task(accepted.taskId)).toMatchObject({ state: 'completed', attemptsMade: 1 });
    expect(d.worker.output()).toContain('SIGTERM received');
    d.worker = await d.startWorker();
  }, 30_000);

  it('answers 503 at once, never 202, while Redis is down', async () => {
    await d.redis.stop();
    const response = await post();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const ready = await d.call(`/health/ready`, { signal: AbortSignal.timeout(2_000) });
    expect(ready.status).toBe(503);
    expect((await d.call(`/health/live`)).status).toBe(200);
    // Both hosts still shut down cleanly: nothing to flush, no hang, no crash.
    expect(await d.api.stop('SIGTERM', 5_000)).toBe(0);
    expect(await d.worker.stop('SIGTERM', 5_000)).toBe(0);
  }, 20_000);
});
