import { describe, expect, it } from '@jest/globals';
import { countDelivery, ORDER_STEPS, type OrderWork } from './delivery-check.js';
import type { JobRecord } from './job-census.js';

const job = (task: string, over: Partial<JobRecord> = {}): JobRecord => ({
  id: `${task}.${Math.random().toString(16).slice(2, 10)}`,
  task,
  queue: task.split('.')[0]!,
  state: 'completed',
  attemptsStarted: 1,
  attemptsMade: 1,
  stalled: 0,
  ...over,
});

const complete = () => ORDER_STEPS.map((step) => job(step));

describe('countDelivery', () => {
  it('counts a clean order as delivered once, with nothing lost', () => {
    const orders: OrderWork[] = [{ orderId: 'o1', taskId: 't1' }];
    const counts = countDelivery(orders, new Map([['o1', complete()]]));
    expect(counts).toMatchObject({
      accepted: 1,
      jobs: 5,
      completed: 5,
      lost: 0,
      failed: 0,
      duplicated: 0,
      recovered: 0,
    });
  });

  it('reports redelivery and recovery without calling them lost', () => {
    const jobs = complete();
    jobs[0] = { ...jobs[0]!, attemptsStarted: 2, stalled: 1 };
    jobs[1] = { ...jobs[1]!, attemptsStarted: 3, attemptsMade: 2 };
    const counts = countDelivery([{ orderId: 'o1', taskId: 't1' }], new Map([['o1', jobs]]));
    expect(counts).toMatchObject({ lost: 0, duplicated: 2, recovered: 1, stalled: 1, retried: 1, starts: 8 });
  });

  it('calls an order lost when a job failed, is unfinished, is missing, or a step never came', () => {
    const failed = complete();
    failed[4] = { ...failed[4]!, state: 'failed', failedReason: 'boom' };
    const unfinished = complete();
    unfinished[2] = { ...unfinished[2]!, state: 'unfinished' };
    const missing = complete();
    missing[0] = { ...missing[0]!, state: 'missing' };
    const noFulfil = complete().slice(0, 4);
    const orders = ['a', 'b', 'c', 'd'].map((id) => ({ orderId: id, taskId: id }));
    const counts = countDelivery(
      orders,
      new Map([
        ['a', failed],
        ['b', unfinished],
        ['c', missing],
        ['d', noFulfil],
      ]),
    );
    expect(counts).toMatchObject({ lost: 4, failed: 1, unfinished: 1, missingSteps: { 'orders.fulfil': 1 } });
    expect(counts.examples.failed).toEqual([expect.stringContaining('boom')]);
  });

  it('expects the cancellation steps of a cancelled order, and custom steps when given', () => {
    const cancelled = countDelivery([{ orderId: 'o1', taskId: 't1', cancelled: true }], new Map([['o1', complete()]]));
    expect(cancelled.missingSteps).toEqual({ 'orders.cancel': 1, 'payments.refund': 1 });
    const custom = countDelivery(
      [{ orderId: 't1', taskId: 't1', steps: ['skew.record'] }],
      new Map([['t1', [job('skew.record')]]]),
    );
    expect(custom.lost).toBe(0);
  });
});
