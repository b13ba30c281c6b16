import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { derivedTaskId } from '../task-id.js';
import { ObserverList } from '../task-observer.js';
import { EnqueueMetrics } from './enqueue-metrics.js';

async function samples(register: Registry, name: string) {
  const metric = await register.getSingleMetric(name)!.get();
  return Object.fromEntries(metric.values.map((v) => [v.labels['task'], v.value]));
}

describe('EnqueueMetrics', () => {
  it('counts dispatches and the jobs of emitted signals per task, starting known tasks at 0', async () => {
    const register = new Registry();
    const observers = new ObserverList([new EnqueueMetrics(register, ['orders.submit', 'orders.fulfil'])]);
    observers.taskDispatched('orders.submit.1234abcd', 'orders.submit');
    observers.taskDispatched('orders.submit.5678abcd', 'orders.submit');
    observers.signalEmitted('order.placed', 'orders.submit.1234abcd', [
      derivedTaskId('payments.create-payment', 'signal', 'x'),
      derivedTaskId('orders.flag', 'signal', 'x'),
    ]);
    expect(await samples(register, 'coordinator_tasks_enqueued_total')).toEqual({
      'orders.submit': 2,
      'orders.fulfil': 0,
      'payments.create-payment': 1,
      'orders.flag': 1,
    });
  });
});
