/*
 * A rolling deploy against real Redis: an updated producer writes jobs of a newer schema
 * (and a task the old release lacks) while a worker of the old release is still serving
 * the queue. The old worker must put them back without failing them or spending an
 * attempt; the updated worker then runs each of them once.
 */
import { BullMqTransport, ExtensionRegistry, type DeferralReason, type TaskObserver } from '@coordinator/core/runtime';
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createWorkerHost, type WorkerHost } from '../create-worker-host.js';
import { skewNew, skewOld } from './fixtures/skew-extension.js';

const redisUrl = process.env.REDIS_URL!;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function transportFor(registry: ExtensionRegistry, prefix: string): BullMqTransport {
  const transport = new BullMqTransport(registry, { redisUrl, prefix });
  stops.push(() => transport.close());
  return transport;
}

async function workerFor(
  registry: ExtensionRegistry,
  prefix: string,
  observers: readonly TaskObserver[] = [],
): Promise<WorkerHost> {
  const host = await createWorkerHost({
    registry,
    transport: transportFor(registry, prefix),
    consumers: { redisUrl, prefix, queues: ['skew'], concurrency: () => 5 },
    graceMs: 2_000,
    observers,
    logger: false,
  });
  stops.push(() => host.close());
  return host;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a worker that meets jobs written for a newer release (Redis)', () => {
  it('puts them back for a newer worker, which then runs each once', async () => {
    const prefix = `{test-${randomUUID().slice(0, 8)}}`;
    const oldRegistry = new ExtensionRegistry([skewOld.extension]);
    const newRegistry = new ExtensionRegistry([skewNew.extension]);
    const producer = transportFor(newRegistry, prefix);
    const ahead = [
      ...(await Promise.all(
        ['a', 'b', 'c'].map((label) => producer.dispatcher.dispatch(skewNew.record, { label, priority: 1 })),
      )),
      await producer.dispatcher.dispatch(skewNew.audit, { label: 'audit' }),
    ].map((receipt) => receipt.taskId);

    const deferrals: { taskId: string; reason: DeferralReason }[] = [];
    const oldWorker = await workerFor(oldRegistry, prefix, [
      { taskDeferred: (job, reason) => deferrals.push({ taskId: job.taskId, reason }) },
    ]);
    // A job of the old schema is still the old worker's to run.
    const own = await transportFor(oldRegistry, prefix).dispatcher.dispatch(skewOld.record, { label: 'own' });
    await until(
      () => producer.status.get(own.taskId),
      (s) => s?.state === 'completed',
      'old-schema job completed',
    );
    await until(
      async () => new Set(deferrals.map((d) => d.taskId)).size,
      (n) => n === ahead.length,
      'every newer job deferred once',
    );

    expect(deferrals.every((d) => d.reason === 'schema-ahead')).toBe(true);
    const queue = producer.queue('skew');
    expect(await queue.getJobCounts('delayed', 'failed', 'completed')).toEqual({ delayed: 4, failed: 0, completed: 1 });
    for (const taskId of ahead) {
      expect(await producer.status.get(taskId)).toMatchObject({ state: 'delayed', attemptsMade: 0 });
    }
    expect((await producer.status.get(own.taskId))?.result).toEqual({ label: 'own', ranBy: '1.0.0' });

    // The deploy goes on: the old worker leaves, an updated one arrives.
    await oldWorker.close();
    await workerFor(newRegistry, prefix);
    for (const taskId of ahead) {
      const done = await until(
        () => producer.status.get(taskId),
        (s) => s?.state === 'completed',
        `${taskId} completed on the updated worker`,
      );
      expect(done).toMatchObject({ attemptsMade: 1, result: expect.objectContaining({ ranBy: '1.1.0' }) });
    }
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
  }, 30_000);
});
