import type { TaskReceipt, TaskStatus } from '@coordinator/core';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { chainTask, probeExtension, probeTask, rejectTask, stuckTask } from './fixtures/probe-extension.js';
import { startTestCoordinator, type TestCoordinator, type TestMode } from './start-test-coordinator.js';

describe.each<TestMode>(['inline', 'redis'])('startTestCoordinator in %s mode', (mode) => {
  let coordinator: TestCoordinator;
  afterEach(() => coordinator?.close());

  const start = async () => (coordinator = await startTestCoordinator({ extensions: [probeExtension], mode }));

  it('runs a dispatched task and its signal handler', async () => {
    await start();
    const res = await coordinator.http.post<TaskReceipt>('/probe', { label: 'a', failTimes: 0 });
    expect(res.status).toBe(202);
    await coordinator.waitForIdle();
    const status = await coordinator.status(res.body.taskId);
    expect(status).toMatchObject({ state: 'completed', attemptsMade: 1, result: { label: 'a', attempt: 1 } });
    const handlerIds = status!.emitted![0]!.taskIds;
    expect(status!.emitted).toEqual([{ signal: 'probe.done', taskIds: handlerIds }]);
    expect(await coordinator.status(handlerIds[0]!)).toMatchObject({ state: 'completed', result: 'reacted to a' });
    expect(coordinator.journal.completed('probe.react')).toHaveLength(1);
  });

  it('retries with the task policy: two failures then success ends completed after 3 attempts', async () => {
    await start();
    const receipt = await coordinator.dispatcher.dispatch(probeTask, { label: 'b', failTimes: 2 });
    await coordinator.waitForIdle();
    const status = (await coordinator.status(receipt.taskId)) as TaskStatus;
    expect(status.state).toBe('completed');
    expect(status.attemptsMade).toBe(3);
    expect(coordinator.journal.failed('probe.run').map((f) => [f.attempt, f.willRetry])).toEqual([
      [1, true],
      [2, true],
    ]);
  });

  it('fails after the last attempt with the reason', async () => {
    await start();
    const receipt = await coordinator.dispatcher.dispatch(probeTask, { label: 'c', failTimes: 9 });
    await coordinator.waitForIdle();
    expect(await coordinator.status(receipt.taskId)).toMatchObject({
      state: 'failed',
      attemptsMade: 4,
      failureReason: 'planned failure 4 of 9',
    });
  });

  it('does not retry a permanent failure and records its reason', async () => {
    await start();
    const receipt = await coordinator.dispatcher.dispatch(rejectTask, { label: 'd' });
    await coordinator.waitForIdle();
    expect(await coordinator.status(receipt.taskId)).toMatchObject({
      state: 'failed',
      attemptsMade: 1,
      maxAttempts: 5,
      failureReason: 'rejected d',
    });
    expect(coordinator.journal.started('probe.reject')).toHaveLength(1);
  });

  it('answers 400 naming the field when the body fails the DTO, and dispatches nothing', async () => {
    await start();
    const res = await coordinator.http.post<{ message: string[] }>('/probe', { label: 'e', failTimes: 'x', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining(['property extra should not exist', expect.stringMatching(/^failTimes /)]),
    );
    expect(coordinator.journal.entries).toHaveLength(0);
  });

  it('rejects an invalid payload at dispatch too, naming the field', async () => {
    await start();
    await expect(coordinator.dispatcher.dispatch(probeTask, { label: 'f', failTimes: 99 })).rejects.toMatchObject({
      name: 'PayloadValidationError',
      fields: ['failTimes must not be greater than 10'],
    });
  });

  it('dedupes dispatches with the same idempotency key', async () => {
    await start();
    const first = await coordinator.dispatcher.dispatch(
      probeTask,
      { label: 'g', failTimes: 0 },
      { idempotencyKey: 'k1' },
    );
    const second = await coordinator.dispatcher.dispatch(
      probeTask,
      { label: 'g', failTimes: 0 },
      { idempotencyKey: 'k1' },
    );
    expect(second.taskId).toBe(first.taskId);
    await coordinator.waitForIdle();
    expect(coordinator.journal.started('probe.run')).toHaveLength(1);
  });

  it('aborts a task at its timeout through ctx.signal and retries it', async () => {
    await start();
    const receipt = await coordinator.dispatcher.dispatch(stuckTask, { label: 'h' });
    await coordinator.waitForIdle();
    expect(await coordinator.status(receipt.taskId)).toMatchObject({
      state: 'failed',
      attemptsMade: 2,
      failureReason: 'probe.stuck timed out after 100 ms',
    });
  });

  it('answers 400 for malformed JSON', async () => {
    await start();
    const res = await coordinator.http.post<{ message: string }>('/probe', '{"label": ');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/JSON/);
  });

  it('refuses an idempotency key reused with another payload, storing nothing', async () => {
    await start();
    await coordinator.dispatcher.dispatch(probeTask, { label: 'i', failTimes: 0 }, { idempotencyKey: 'k2' });
    await expect(
      coordinator.dispatcher.dispatch(probeTask, { label: 'j', failTimes: 0 }, { idempotencyKey: 'k2' }),
    ).rejects.toMatchObject({ name: 'IdempotencyConflictError' });
    // Same data with its keys in another order is the same request.
    await expect(
      coordinator.dispatcher.dispatch(probeTask, { failTimes: 0, label: 'i' }, { idempotencyKey: 'k2' }),
    ).resolves.toMatchObject({ taskId: expect.any(String) });
    await coordinator.waitForIdle();
    expect(coordinator.journal.started('probe.run')).toHaveLength(1);
  });

  it('lists a correlation: the task and the handler tasks of the signals it emitted', async () => {
    await start();
    const receipt = await coordinator.dispatcher.dispatch(
      probeTask,
      { label: 'k', failTimes: 0 },
      { correlationId: 'probe-k' },
    );
    await coordinator.waitForIdle();
    const listed = await coordinator.statuses.listByCorrelation('probe-k');
    expect(listed.map((s) => [s.task, s.state, s.correlationId])).toEqual([
      ['probe.run', 'completed', 'probe-k'],
      ['probe.react', 'completed', 'probe-k'],
    ]);
    expect(listed[0]!.taskId).toBe(receipt.taskId);
    expect(await coordinator.statuses.listByCorrelation('probe-none')).toEqual([]);
  });

  it('dispatches a follow-up task once even when the dispatching task is retried', async () => {
    await start();
    const receipt = await coordinator.dispatcher.dispatch(chainTask, { label: 'm' }, { correlationId: 'probe-m' });
    await coordinator.waitForIdle();
    const chain = await coordinator.status(receipt.taskId);
    expect(chain).toMatchObject({ state: 'completed', attemptsMade: 2 });
    expect(coordinator.journal.completed('probe.react')).toHaveLength(1);
    expect(await coordinator.status(chain!.result as string)).toMatchObject({
      state: 'completed',
      result: 'reacted to m-next',
      correlationId: 'probe-m',
    });
  });

  it('answers 404 for an unknown task id', async () => {
    await start();
    expect((await coordinator.http.get('/tasks/probe.run.0000000000000000')).status).toBe(404);
    expect((await coordinator.http.get('/tasks/nonsense')).status).toBe(404);
  });
});

describe('payload validation in the worker', () => {
  let coordinator: TestCoordinator;
  afterEach(() => coordinator?.close());

  it('fails a job written without the dispatcher permanently, with the validation message', async () => {
    coordinator = await startTestCoordinator({ extensions: [probeExtension], mode: 'redis' });
    // Another producer (an older API host, a script) wrote a job that breaks the DTO.
    const queue = new Queue('probe', { connection: { url: process.env.REDIS_URL }, prefix: coordinator.prefix });
    try {
      await queue.add(
        'probe.run',
        { payload: { label: 7, failTimes: 0 }, meta: { task: 'probe.run' } },
        { jobId: 'probe.run.00000000deadbeef', attempts: 4 },
      );
    } finally {
      await queue.close();
    }
    await coordinator.waitForIdle();
    expect(await coordinator.status('probe.run.00000000deadbeef')).toMatchObject({
      state: 'failed',
      attemptsMade: 1,
      failureReason: 'invalid payload of probe.run: label must be a string',
    });
  });
});
