import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { addReadingBack } from './add-reading-back.js';

const prefix = `{test-${randomUUID().slice(0, 8)}}`;
let connection: Redis;
let queue: Queue;

beforeAll(() => {
  connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  queue = new Queue('read-back', { connection, prefix });
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
});

describe('addReadingBack against Redis', () => {
  it("answers a new id with the job's own data: the read runs after the add, in its round trip", async () => {
    const stored = await addReadingBack(queue, 'submit', { n: 1 }, { jobId: 'new-1', attempts: 3 });
    expect(JSON.parse(stored!)).toEqual({ n: 1 });
    const job = await queue.getJob('new-1');
    expect(job).toMatchObject({ name: 'submit', data: { n: 1 }, opts: expect.objectContaining({ attempts: 3 }) });
  });

  it('answers a taken id with the data first stored under it, and stores nothing new', async () => {
    await queue.add('submit', { n: 'first' }, { jobId: 'taken-1' });
    const stored = await addReadingBack(queue, 'submit', { n: 'second' }, { jobId: 'taken-1' });
    expect(JSON.parse(stored!)).toEqual({ n: 'first' });
    expect((await queue.getJob('taken-1'))?.data).toEqual({ n: 'first' });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 2 });
  });

  it('rejects when Redis refuses the add, and leaves no rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const closing = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const refusing = new Queue('read-back', { connection: closing, prefix });
    try {
      await refusing.waitUntilReady();
      closing.disconnect(); // Every command is now refused at once.
      await expect(addReadingBack(refusing, 'submit', { n: 3 }, { jobId: 'refused-1' })).rejects.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await refusing.close();
    }
  });

  it("applies the queue's default job options, as queue.add does", async () => {
    const withDefaults = new Queue('read-back', {
      connection,
      prefix,
      defaultJobOptions: { priority: 0, attempts: 7 },
    });
    await addReadingBack(withDefaults, 'submit', { n: 2 }, { jobId: 'defaults-1' });
    expect((await queue.getJob('defaults-1'))?.opts.attempts).toBe(7);
    await withDefaults.close();
  });
});
