/*
 * Which workers' command connections gather a turn's writes into one system call: those that
 * run several jobs at once. Real BullMQ workers on the test Redis.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { WorkerHost } from '@nestjs/bullmq';
import { Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { WorkerPool } from './worker-pool.js';

const redisUrl = process.env.REDIS_URL!;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
});

/** A started worker of that concurrency and its command connection, once it is ready. */
async function startWorker(concurrency: number) {
  const worker = new Worker(`pool-spec-${randomUUID()}`, async () => undefined, {
    connection: { url: redisUrl },
    concurrency,
    prefix: 'pool-spec',
  });
  workers.push(worker);
  await worker.waitUntilReady();
  const client = await (
    worker as unknown as { backend: { client: Promise<{ stream: Socket; ping(): Promise<string> }> } }
  ).backend.client;
  return { host: { worker } as unknown as WorkerHost, client };
}

describe('WorkerPool', () => {
  it('holds the writes of a turn on the connections of workers that run several jobs at once, not one', async () => {
    const several = await startWorker(50);
    const one = await startWorker(1);
    const pool = new WorkerPool(1_000);
    pool.add(several.host);
    pool.add(one.host);
    pool.onApplicationBootstrap();
    try {
      await new Promise((resolve) => setImmediate(resolve)); // the connections are wrapped once they resolve

      const pings = [several.client.ping(), one.client.ping()];
      // Written during this turn: the first socket holds its write until the turn ends, the second sent it.
      expect([several.client.stream.writableCorked, one.client.stream.writableCorked]).toEqual([1, 0]);
      await expect(Promise.all(pings)).resolves.toEqual(['PONG', 'PONG']);
      expect(several.client.stream.writableCorked).toBe(0);
    } finally {
      await pool.beforeApplicationShutdown();
    }
  });
});
