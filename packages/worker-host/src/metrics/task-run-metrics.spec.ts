import { ObserverList, type ObservedJob } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { TaskRunMetrics } from './task-run-metrics.js';

const job = (attempt: number, taskId = 'orders.submit.1234abcd'): ObservedJob => ({
  taskId,
  task: 'orders.submit',
  attempt,
  meta: {
    task: 'orders.submit',
    extension: 'orders',
    extensionVersion: '1.0.0',
    schemaVersion: 1,
    enqueuedAt: '2026-01-01T00:00:00.000Z',
    trace: {},
  },
});

async function values(register: Registry, name: string) {
  const metric = await register.getSingleMetric(name)!.get();
  return metric.values as { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

describe('TaskRunMetrics', () => {
  it('maps the executor hooks to started, completed, failed, retried and duration', async () => {
    const register = new Registry();
    let clock = 0;
    const metrics = new TaskRunMetrics(register, ['orders.submit', 'orders.fulfil'], () => clock);
    const observers = new ObserverList([metrics]);

    observers.taskStarted(job(1));
    clock = 250;
    observers.taskFailed(job(1), 'oms 503', true);
    observers.taskStarted(job(2));
    clock = 1_250;
    observers.taskCompleted(job(2), null);
    observers.taskStarted(job(1, 'orders.submit.5678abcd'));
    clock = 1_300;
    observers.taskFailed(job(1, 'orders.submit.5678abcd'), 'invalid payload', false);

    const byLabels = async (name: string) =>
      Object.fromEntries((await values(register, name)).map((v) => [JSON.stringify(v.labels), v.value]));
    expect(await byLabels('coordinator_tasks_started_total')).toEqual({
      '{"task":"orders.submit"}': 3,
      '{"task":"orders.fulfil"}': 0,
    });
    expect(await byLabels('coordinator_tasks_completed_total')).toMatchObject({ '{"task":"orders.submit"}': 1 });
    expect(await byLabels('coordinator_tasks_retried_total')).toMatchObject({ '{"task":"orders.submit"}': 1 });
    expect(await byLabels('coordinator_tasks_failed_total')).toMatchObject({
      '{"task":"orders.submit","final":"false"}': 1,
      '{"task":"orders.submit","final":"true"}': 1,
      '{"task":"orders.fulfil","final":"true"}': 0,
    });

    const durations = await values(register, 'coordinator_task_duration_seconds');
    const sum = (outcome: string) =>
      durations.find((v) => v.metricName === 'coordinator_task_duration_seconds_sum' && v.labels['outcome'] === outcome)
        ?.value;
    const count = (outcome: string) =>
      durations.find(
        (v) => v.metricName === 'coordinator_task_duration_seconds_count' && v.labels['outcome'] === outcome,
      )?.value;
    expect(count('completed')).toBe(1);
    expect(sum('completed')).toBeCloseTo(1.0);
    expect(count('failed')).toBe(2);
    expect(sum('failed')).toBeCloseTo(0.3);
  });

  it('counts deferred jobs by reason, and times neither them nor a run they interrupted', async () => {
    const register = new Registry();
    let clock = 0;
    const observers = new ObserverList([new TaskRunMetrics(register, [], () => clock)]);
    observers.taskDeferred(job(1), 'schema-ahead', 5_000);
    observers.taskStarted(job(2));
    clock = 100;
    observers.taskDeferred(job(2), 'downstream-unavailable', 1_000);
    // The same attempt runs again later: only that run is timed.
    clock = 10_000;
    observers.taskStarted(job(2));
    clock = 10_050;
    observers.taskCompleted(job(2), null);

    const deferred = await values(register, 'coordinator_tasks_deferred_total');
    expect(Object.fromEntries(deferred.map((v) => [v.labels['reason'], v.value]))).toEqual({
      'schema-ahead': 1,
      'downstream-unavailable': 1,
    });
    const durations = await values(register, 'coordinator_task_duration_seconds');
    const completed = (suffix: string) =>
      durations.find((v) => v.metricName === `coordinator_task_duration_seconds_${suffix}`)?.value;
    expect(completed('count')).toBe(1);
    expect(completed('sum')).toBeCloseTo(0.05);
  });

  it('ignores an end whose start it never saw', async () => {
    const register = new Registry();
    const observers = new ObserverList([new TaskRunMetrics(register)]);
    observers.taskCompleted(job(3), null);
    const durations = await values(register, 'coordinator_task_duration_seconds');
    expect(durations).toEqual([]);
    expect((await values(register, 'coordinator_tasks_completed_total'))[0]?.value).toBe(1);
  });
});
