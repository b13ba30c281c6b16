/*
 * Poison jobs: jobs that no retry can fix fail after exactly one attempt, with a reason
 * a person can read in the task's status, and the worker goes on with other jobs.
 */
import type { TaskStatus } from '@coordinator/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  poisonExtension,
  poisonGoodTask,
  poisonStrictTask,
  poisonThrowTask,
  poisonUnstorableTask,
  type ThrownKind,
} from './fixtures/poison-extension.js';
import { startTestCoordinator, type TestCoordinator, type TestMode } from './start-test-coordinator.js';

const MAX_ATTEMPTS = 5;

/** Each non-Error value a handler may throw, and the reason its task must show. */
const thrown: [ThrownKind, string][] = [
  ['string', 'non-error thrown: boom'],
  ['undefined', 'non-error thrown: undefined'],
  ['null', 'non-error thrown: null'],
  ['object', 'non-error thrown: {"code":"E_POISON","detail":"a plain object"}'],
  ['number', 'non-error thrown: 42'],
  ['null-prototype object', 'non-error thrown: {"reason":"no prototype"}'],
  ['bigint', 'non-error thrown: 10n'],
  ['circular object', 'non-error thrown: an object JSON cannot print (keys: name, self)'],
];

/** Failed after one attempt of five, with exactly this reason. */
function failedOnce(status: TaskStatus | undefined, reason: string | RegExp): void {
  expect(status).toMatchObject({ state: 'failed', attemptsMade: 1, maxAttempts: MAX_ATTEMPTS });
  if (typeof reason === 'string') expect(status!.failureReason).toBe(reason);
  else expect(status!.failureReason).toMatch(reason);
}

describe.each<TestMode>(['inline', 'redis'])('poison jobs (%s mode)', (mode) => {
  let coordinator: TestCoordinator;
  beforeAll(async () => {
    coordinator = await startTestCoordinator({ extensions: [poisonExtension], mode });
  });
  afterAll(() => coordinator?.close());

  it.each(['throw', 'reject'] as const)(
    'fails a handler that %ss a non-Error value permanently after one attempt, then runs a good job',
    async (how) => {
      const receipts = await Promise.all(
        thrown.map(([kind]) => coordinator.dispatcher.dispatch(poisonThrowTask, { thrown: kind, how })),
      );
      const good = await coordinator.dispatcher.dispatch(poisonGoodTask, { label: how });
      await coordinator.waitForIdle({ timeoutMs: 15_000 });

      for (const [index, [kind, reason]] of thrown.entries()) {
        const taskId = receipts[index]!.taskId;
        const status = await coordinator.status(taskId);
        expect({ kind, reason: status?.failureReason }).toEqual({ kind, reason });
        failedOnce(status, reason);
        expect(coordinator.journal.started('poison.throw').filter((e) => e.taskId === taskId)).toHaveLength(1);
      }
      expect(await coordinator.status(good.taskId)).toMatchObject({ state: 'completed', result: `done ${how}` });
    },
  );

  it('fails a handler whose result cannot be stored as JSON after one attempt', async () => {
    const receipt = await coordinator.dispatcher.dispatch(poisonUnstorableTask, { label: 'big' });
    await coordinator.waitForIdle({ timeoutMs: 15_000 });
    failedOnce(
      await coordinator.status(receipt.taskId),
      /^poison\.unstorable returned a result that cannot be stored as JSON: .*BigInt/,
    );
  });
});

describe('poison jobs written into the queue by another producer (redis mode)', () => {
  let coordinator: TestCoordinator;
  let queue: Queue;

  beforeAll(async () => {
    coordinator = await startTestCoordinator({ extensions: [poisonExtension], mode: 'redis' });
    const [name] = coordinator.registry.queuesOfTask(poisonStrictTask.name);
    queue = new Queue(name!, { connection: { url: process.env.REDIS_URL }, prefix: coordinator.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    await coordinator?.close();
  });

  const meta = () => ({
    task: poisonStrictTask.name,
    extension: 'poison',
    extensionVersion: '0.0.1',
    schemaVersion: 1,
    enqueuedAt: new Date().toISOString(),
    trace: {},
  });

  /** Adds a job as an older host or a script would: no dispatcher, so no validation. */
  async function write(data: unknown, delay = 0): Promise<string> {
    const jobId = `${poisonStrictTask.name}.${randomUUID()}`;
    await queue.add(poisonStrictTask.name, data, {
      jobId,
      attempts: MAX_ATTEMPTS,
      backoff: { type: 'fixed', delay: 10 },
      delay,
    });
    return jobId;
  }

  /**
   * Adds a job whose data is this JSON text. BullMQ would overflow its own stack
   * serialising a payload nested this deeply, so the text goes into the job's hash
   * directly while the job is delayed, and the job is then promoted.
   */
  async function writeText(text: string): Promise<string> {
    const jobId = await write({ placeholder: true }, 60_000);
    const job = (await Job.fromId(queue, jobId))!;
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      await redis.hset(`${coordinator.prefix}:${queue.name}:${jobId}`, 'data', text);
    } finally {
      redis.disconnect();
    }
    await job.promote();
    return jobId;
  }

  it('fails payloads that can never be valid after one attempt, naming the problem, and keeps working', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const ids = {
      wrongType: await write({ payload: { orderId: 42 }, meta: meta() }),
      notAnObject: await write({ payload: 'garbage', meta: meta() }),
      extraField: await write({ payload: { orderId: randomUUID(), cardNumber: '4242424242424242' }, meta: meta() }),
      tooDeep: await writeText(`{"payload":{"orderId":${deep}},"meta":${JSON.stringify(meta())}}`),
    };
    const good = await coordinator.dispatcher.dispatch(poisonGoodTask, { label: 'after the poison' });
    await coordinator.waitForIdle({ timeoutMs: 15_000 });

    failedOnce(await coordinator.status(ids.wrongType), 'invalid payload of poison.strict: orderId must be a UUID');
    failedOnce(
      await coordinator.status(ids.notAnObject),
      'invalid payload of poison.strict: payload must be an object',
    );
    failedOnce(
      await coordinator.status(ids.extraField),
      'invalid payload of poison.strict: cardNumber: property cardNumber should not exist',
    );
    failedOnce(
      await coordinator.status(ids.tooDeep),
      /^payload of poison\.strict cannot be validated: Maximum call stack size exceeded/,
    );
    expect(await coordinator.status(good.taskId)).toMatchObject({
      state: 'completed',
      result: 'done after the poison',
    });
  });

  it('fails job data that is not a coordinator job at all after one attempt', async () => {
    const ids = [
      await write('not an envelope'),
      await write({ payload: { orderId: randomUUID() } }),
      await write(null),
    ];
    const good = await coordinator.dispatcher.dispatch(poisonGoodTask, { label: 'after the garbage' });
    await coordinator.waitForIdle({ timeoutMs: 15_000 });

    const reason = 'job data of poison.strict is not a coordinator job ({ payload, meta }): it can never run';
    for (const id of ids) {
      failedOnce(await coordinator.status(id), reason);
      // Without a meta the status names the task and extension from the job's name.
      const res = await coordinator.http.get<TaskStatus>(`/tasks/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        task: 'poison.strict',
        extension: 'poison',
        state: 'failed',
        failureReason: reason,
      });
    }
    expect(await coordinator.status(good.taskId)).toMatchObject({ state: 'completed' });
  });
});
