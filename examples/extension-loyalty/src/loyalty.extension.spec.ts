import type { TaskReceipt } from '@coordinator/core';
import { startTestCoordinator, type TestCoordinator, type TestMode } from '@coordinator/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import extension from './index.js';

/*
 * One test body, two modes of the harness: `inline` runs the tasks in-process (fast, no
 * Redis) and always runs; `redis` runs real BullMQ workers against the Redis at REDIS_URL
 * and is skipped without it: `REDIS_URL=redis://127.0.0.1:6379 npm test`.
 */
const entry = { entryId: 'e-1', customerId: 'c-1', amount: 250 };

function suite(mode: TestMode) {
  return () => {
    let running: TestCoordinator | undefined;
    afterEach(async () => {
      await running?.close();
      running = undefined;
    });
    const start = async () => (running = await startTestCoordinator({ extensions: [extension], mode }));

    it('records an entry from the endpoint, then confirms it on loyalty-entry.recorded', async () => {
      const coordinator = await start();
      const response = await coordinator.http.post<TaskReceipt>('/loyalty/entries', entry);
      expect(response.status).toBe(202);
      expect(response.body.statusUrl).toBe(`/tasks/${response.body.taskId}`);
      await coordinator.waitForIdle();

      const recorded = await coordinator.status(response.body.taskId);
      expect(recorded).toMatchObject({ task: 'loyalty.record-entry', state: 'completed', result: { entryId: 'e-1' } });
      expect(recorded?.emitted).toEqual([{ signal: 'loyalty-entry.recorded', taskIds: [expect.any(String)] }]);
      const confirmed = await coordinator.status(recorded!.emitted![0]!.taskIds[0]!);
      expect(confirmed).toMatchObject({
        task: 'loyalty.confirm-entry',
        state: 'completed',
        result: { entryId: 'e-1', confirmed: true },
      });
    });

    it('records the same entry once, however often it is posted, and refuses its id for another entry', async () => {
      const coordinator = await start();
      const first = await coordinator.http.post<TaskReceipt>('/loyalty/entries', entry);
      const again = await coordinator.http.post<TaskReceipt>('/loyalty/entries', entry);
      expect(again.body.taskId).toBe(first.body.taskId);
      const conflicting = await coordinator.http.post('/loyalty/entries', { ...entry, amount: 1 });
      expect(conflicting.status).toBe(422);
      await coordinator.waitForIdle();
      expect(coordinator.journal.completed('loyalty.record-entry')).toHaveLength(1);
      expect(coordinator.journal.completed('loyalty.confirm-entry')).toHaveLength(1);
    });

    it('answers 400 for an invalid entry and dispatches nothing', async () => {
      const coordinator = await start();
      const response = await coordinator.http.post('/loyalty/entries', { ...entry, amount: -1 });
      expect(response.status).toBe(400);
      expect(coordinator.journal.entries).toEqual([]);
    });
  };
}

describe('loyalty extension (inline mode)', suite('inline'));
if (process.env.REDIS_URL) describe('loyalty extension (redis mode)', suite('redis'));
else describe.skip('loyalty extension (redis mode: skipped, set REDIS_URL to run it)', suite('redis'));
