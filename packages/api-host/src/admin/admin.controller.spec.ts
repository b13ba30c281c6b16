import { defineExtension, defineTask, type TaskHandler } from '@coordinator/core';
import { BullMqTransport, ExtensionRegistry, WorkerHeartbeats, workerRedisOptions } from '@coordinator/core/runtime';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { testCaller } from '../auth/fixtures/test-caller.js';
import { createApiHost } from '../create-api-host.js';

class ChargePayload {
  @IsString()
  sale!: string;
}

@Injectable()
class ChargeHandler implements TaskHandler<ChargePayload> {
  async run(): Promise<void> {}
}

const charge = defineTask({
  name: 'shop.charge',
  payload: ChargePayload,
  handler: ChargeHandler,
  retry: { attempts: 3, backoff: 'fixed', delayMs: 10, jitter: false },
});
const shop = defineExtension({ name: 'shop', version: '1.2.0', tasks: [charge] });

const redisUrl = process.env.REDIS_URL!;
const prefix = `{admin-${randomUUID().slice(0, 8)}}`;
const admin = testCaller(['admin'], 'operator');
const clerk = testCaller(['orders:read'], 'clerk');

describe('admin routes (real Redis)', () => {
  const registry = new ExtensionRegistry([shop]);
  let transport: BullMqTransport;
  let app: NestFastifyApplication;
  let failed: string[];

  /** Fails every waiting job of the shop queue once, permanently, then stops. */
  async function failAll(count: number): Promise<void> {
    let settled = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const worker = new Worker(
      'shop',
      async (job: Job) => {
        throw new UnrecoverableError(`card declined for ${(job.data as { payload: ChargePayload }).payload.sale}`);
      },
      { connection: workerRedisOptions(redisUrl), prefix },
    );
    worker.on('failed', () => (++settled === count ? done() : undefined));
    await finished;
    await worker.close();
  }

  const call = (method: 'GET' | 'POST', url: string, caller = admin) =>
    app.inject({ method, url, headers: caller.headers });

  beforeAll(async () => {
    transport = new BullMqTransport(registry, { redisUrl, prefix });
    failed = [];
    for (const sale of ['s-1', 's-2']) failed.push((await transport.dispatcher.dispatch(charge, { sale })).taskId);
    await failAll(2);
    app = await createApiHost({
      registry,
      transport,
      env: {
        COORDINATOR_API_KEYS: JSON.stringify([
          ...JSON.parse(admin.env.COORDINATOR_API_KEYS!),
          ...JSON.parse(clerk.env.COORDINATOR_API_KEYS!),
        ]),
      },
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
    const keys = await transport.redis.keys(`${prefix}*`);
    if (keys.length) await transport.redis.del(...keys);
    await transport?.close();
  });

  it('lists the dead letters with reason, payload and the error of each attempt', async () => {
    const res = await call('GET', '/admin/dead-letters');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ failed: Record<string, number>; jobs: Record<string, unknown>[] }>();
    expect(body.failed).toEqual({ shop: 2 });
    expect(body.jobs.map((j) => j['taskId']).sort()).toEqual([...failed].sort());
    expect(body.jobs[0]).toMatchObject({
      task: 'shop.charge',
      queue: 'shop',
      attemptsMade: 1,
      maxAttempts: 3,
      enqueuedBy: 'shop@1.2.0',
      failedReason: expect.stringMatching(/^card declined for s-\d$/),
      payload: { sale: expect.stringMatching(/^s-\d$/) },
      attemptErrors: [expect.stringMatching(/card declined/)],
    });
    expect((await call('GET', '/admin/dead-letters?limit=1')).json<{ jobs: unknown[] }>().jobs).toHaveLength(1);
  });

  it('answers 400 naming a bad limit or queue', async () => {
    expect((await call('GET', '/admin/dead-letters?limit=0')).json()).toMatchObject({
      statusCode: 400,
      message: ['limit must be a whole number from 1 to 500'],
    });
    expect((await call('GET', '/admin/dead-letters?queue=nowhere')).json()).toMatchObject({
      statusCode: 400,
      message: ['queue must be one of shop'],
    });
  });

  it('needs the admin scope', async () => {
    expect((await call('GET', '/admin/dead-letters', clerk)).statusCode).toBe(403);
    expect((await call('POST', `/admin/dead-letters/${failed[0]}/replay`, clerk)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/admin/workers' })).statusCode).toBe(401);
  });

  it('replays a dead letter once: the second replay finds it waiting and enqueues nothing', async () => {
    const first = await call('POST', `/admin/dead-letters/${failed[0]}/replay`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ taskId: failed[0], replayed: true, queue: 'shop' });
    const again = await call('POST', `/admin/dead-letters/${failed[0]}/replay`);
    expect(again.json()).toEqual({ taskId: failed[0], replayed: false, queue: 'shop', state: 'waiting' });
    expect(await transport.queue('shop').getWaitingCount()).toBe(1);
    expect((await call('GET', '/admin/dead-letters')).json<{ failed: object }>().failed).toEqual({ shop: 1 });
    expect((await call('POST', '/admin/dead-letters/shop.charge.0000000000000000/replay')).statusCode).toBe(404);
  });

  it('lists live worker hosts and flags version skew between them', async () => {
    const heartbeats = new WorkerHeartbeats(transport.redis, prefix);
    const now = new Date().toISOString();
    const host = (id: string, version: string) => ({
      id,
      hostname: 'box',
      pid: 1,
      startedAt: now,
      heartbeatAt: now,
      queues: ['shop'],
      extensions: [{ name: 'shop', version }],
      coreVersion: '1.0.0',
    });
    await heartbeats.beat(host('worker-a', '1.2.0'));
    await heartbeats.beat(host('worker-b', '1.3.0'));
    const report = (await call('GET', '/admin/workers')).json<{
      workers: { id: string }[];
      unservedQueues: string[];
      versionSkew: unknown[];
    }>();
    expect(report.workers.map((w) => w.id).sort()).toEqual(['worker-a', 'worker-b']);
    expect(report.unservedQueues).toEqual([]);
    expect(report.versionSkew).toEqual([{ name: 'shop', versions: { '1.2.0': ['worker-a'], '1.3.0': ['worker-b'] } }]);
  });
});
