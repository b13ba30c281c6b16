import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { registerQueueMetrics } from './queue-metrics.js';

describe('registerQueueMetrics', () => {
  it('reads every queue once per scrape and reports jobs per state and the failed set as dead letters', async () => {
    const register = new Registry();
    const reads: string[] = [];
    registerQueueMetrics(register, {
      queues: ['orders', 'payments'],
      jobCounts: async (queue, states): Promise<Record<string, number>> => {
        reads.push(queue);
        expect(states).toContain('waiting');
        return queue === 'orders' ? { waiting: 3, active: 1, failed: 2 } : { delayed: 4 };
      },
    });
    const text = await register.metrics();
    expect(text).toContain('coordinator_queue_jobs{queue="orders",state="waiting"} 3');
    expect(text).toContain('coordinator_queue_jobs{queue="orders",state="active"} 1');
    expect(text).toContain('coordinator_queue_jobs{queue="payments",state="delayed"} 4');
    expect(text).toContain('coordinator_queue_jobs{queue="payments",state="failed"} 0');
    expect(text).toContain('coordinator_dead_letters{queue="orders"} 2');
    expect(text).toContain('coordinator_dead_letters{queue="payments"} 0');
    expect(reads.sort()).toEqual(['orders', 'payments']);
  });

  it('leaves a queue that does not answer in time without samples and counts the failure', async () => {
    const register = new Registry();
    registerQueueMetrics(register, {
      queues: ['orders', 'payments'],
      timeoutMs: 50,
      jobCounts: (queue) =>
        queue === 'orders' ? new Promise(() => undefined) : Promise.reject(new Error('Connection is closed.')),
    });
    const started = Date.now();
    const text = await register.metrics();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(text).not.toMatch(/^coordinator_queue_jobs\{/m);
    expect(text).not.toMatch(/^coordinator_dead_letters\{/m);
    expect(text).toContain('coordinator_metrics_collect_failures_total{collector="queues"} 1');
  });
});
