import { defineDownstream, defineExtension, defineTask, RetryableError, type TaskHandler } from '@coordinator/core';
import { DownstreamGuards, ExtensionRegistry } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Registry } from 'prom-client';
import { BreakerMetrics } from './breaker-metrics.js';
import { WorkerMetrics } from './worker-metrics.js';

class Thing {
  @IsString()
  id!: string;
}

@Injectable()
class Noop implements TaskHandler<Thing> {
  async run() {
    return null;
  }
}

async function states(register: Registry): Promise<Record<string, number>> {
  const metric = await register.getSingleMetric('coordinator_breaker_state')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels['downstream']), v.value]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BreakerMetrics', () => {
  it('follows every change of the circuits: 0 closed, 2 open, 1 half-open, 0 closed again', async () => {
    const register = new Registry();
    const metrics = new BreakerMetrics(register, ['oms']);
    const guards = new DownstreamGuards();
    const stop = metrics.watch(guards);
    const oms = defineDownstream({ name: 'oms', breaker: { consecutiveFailures: 1, halfOpenAfterMs: 30 } });
    const signal = new AbortController().signal;
    expect(await states(register)).toEqual({ oms: 0 });

    await guards.call(oms, signal, () => Promise.reject(new RetryableError('503'))).catch(() => undefined);
    expect(await states(register)).toEqual({ oms: 2 });
    await sleep(50);
    let finish!: () => void;
    const trial = guards.call(oms, signal, () => new Promise<void>((resolve) => (finish = resolve)));
    expect(await states(register)).toEqual({ oms: 1 });
    finish();
    await trial;
    expect(await states(register)).toEqual({ oms: 0 });

    stop();
    await guards.call(oms, signal, () => Promise.reject(new RetryableError('503'))).catch(() => undefined);
    expect(await states(register)).toEqual({ oms: 0 });
  });
});

describe('WorkerMetrics', () => {
  it('has a closed sample from startup for every downstream of the tasks of the served queues only', async () => {
    const oms = defineDownstream({ name: 'order-management' });
    const psp = defineDownstream({ name: 'payment-provider' });
    const orders = defineExtension({
      name: 'orders',
      version: '1.0.0',
      tasks: [
        defineTask({ name: 'orders.submit', payload: Thing, handler: Noop, downstreams: [oms] }),
        defineTask({ name: 'orders.note', payload: Thing, handler: Noop }),
      ],
    });
    const payments = defineExtension({
      name: 'payments',
      version: '1.0.0',
      tasks: [defineTask({ name: 'payments.pay', payload: Thing, handler: Noop, downstreams: [psp] })],
    });
    const registry = new ExtensionRegistry([orders, payments]);

    const ordersOnly = new WorkerMetrics(registry, ['orders'], new Registry());
    expect(await states(ordersOnly.register)).toEqual({ 'order-management': 0 });
    const both = new WorkerMetrics(registry, ['orders', 'payments'], new Registry());
    expect(await states(both.register)).toEqual({ 'order-management': 0, 'payment-provider': 0 });
    expect((await both.scrape()).body).toContain(
      '# HELP coordinator_breaker_state Circuit breaker state per downstream in this worker host: 0 closed, 1 half-open, 2 open',
    );
  });
});
