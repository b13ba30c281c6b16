/*
 * The deployment as operators run it: Redis, the api-host and the worker-host as
 * separate OS processes started from their built bins, with the extensions resolved
 * from the repository root. The order-management fake runs in the test process so the
 * test can read its ledger and slow it down.
 */
import type { TaskStatus } from '@coordinator/core';
import { FakeOrderManagement, startHostProcess, type HostProcess } from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- plain JS helper shared with the make targets; it has no type declarations.
import { startRedis } from '../../scripts/redis.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const order = { customerId: 'c-42', currency: 'EUR', lines: [{ sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 }] };

interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

describe('order flow across separate processes', () => {
  let redis: RedisHandle;
  let oms: FakeOrderManagement;
  let api: HostProcess;
  let worker: HostProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // A Redis of its own: the last test stops it.
    redis = (await startRedis()) as RedisHandle;
    oms = new FakeOrderManagement();
    await oms.start();
    env = {
      REDIS_URL: redis.url,
      COORDINATOR_EXTENSIONS: '@coordinator/extension-orders,@coordinator/extension-payments',
      ORDERS_OMS_URL: oms.url,
      SHUTDOWN_GRACE_MS: '10000',
    };
    [api, worker] = await Promise.all([
      startHostProcess('api', { env, cwd: repoRoot }),
      startHostProcess('worker', { env, cwd: repoRoot }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await oms?.close();
    await redis?.stop();
  }, 30_000);

  const post = (idempotencyKey = `e2e-${randomUUID()}`) =>
    fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(1_000),
    });

  async function statusWhen(taskId: string, done: (s: TaskStatus) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last: TaskStatus | undefined;
    while (Date.now() < deadline) {
      const response = await fetch(`${api.url}/tasks/${taskId}`);
      if (response.ok) {
        last = (await response.json()) as TaskStatus;
        if (done(last)) return last;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`task ${taskId} did not get there; last status ${JSON.stringify(last)}`);
  }

  it('accepts an order, submits it to order management and runs the payments handler', async () => {
    const response = await post();
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { orderId: string; taskId: string; statusUrl: string };
    expect(accepted.statusUrl).toBe(`/tasks/${accepted.taskId}`);

    const submitted = await statusWhen(accepted.taskId, (s) => s.state === 'completed' || s.state === 'failed');
    expect(submitted).toMatchObject({ state: 'completed', task: 'orders.submit', attemptsMade: 1 });
    const created = oms.orders().find((o) => o.orderId === accepted.orderId);
    expect(created).toMatchObject({ customerId: 'c-42', currency: 'EUR' });
    expect(
      oms.calls.filter((c) => c.path === '/orders' && (c.body as { orderId?: string }).orderId === accepted.orderId),
    ).toHaveLength(1);

    const [placed] = submitted.emitted!;
    expect(placed!.signal).toBe('order.placed');
    const handler = await statusWhen(placed!.taskIds[0]!, (s) => s.state === 'completed');
    expect(handler.result).toMatchObject({ orderId: accepted.orderId, amount: 3998, currency: 'EUR' });
  });

  it('lets a job in flight finish when the worker gets SIGTERM, and exits 0', async () => {
    oms.faults.set({ latencyMs: 1_500 });
    const accepted = (await (await post()).json()) as { taskId: string };
    await statusWhen(accepted.taskId, (s) => s.state === 'active');
    const code = await worker.stop('SIGTERM');
    oms.faults.reset();
    expect(code).toBe(0);
    // The job finished in the old worker: completed, in one attempt, not left stalled.
    const status = await statusWhen(accepted.taskId, () => true);
    expect(status).toMatchObject({ state: 'completed', attemptsMade: 1 });
    expect(worker.output()).toContain('SIGTERM received');
    worker = await startHostProcess('worker', { env, cwd: repoRoot });
  }, 30_000);

  it('answers 503 at once, never 202, while Redis is down', async () => {
    await redis.stop();
    const response = await post();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const ready = await fetch(`${api.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    expect(ready.status).toBe(503);
    const live = await fetch(`${api.url}/health/live`);
    expect(live.status).toBe(200);
    // Both hosts still shut down cleanly: nothing to flush, no hang, no crash.
    expect(await api.stop('SIGTERM', 5_000)).toBe(0);
    expect(await worker.stop('SIGTERM', 5_000)).toBe(0);
  }, 20_000);
});
