/*
 * Metrics and worker health across separate processes: both hosts' `/metrics` move
 * with one order, and `/health/workers` on the api-host tells which worker host serves
 * which queue, until that host stops.
 */
import type { WorkersReport } from '@coordinator/api-host';
import type { OrderView } from '@coordinator/extension-orders';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startDeployment, type Deployment } from './support/deployment.js';

const order = { customerId: 'c-7', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1250 }] };

/** The value of one series in a Prometheus text exposition; 0 when it has no sample yet. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('metrics and worker health across separate processes', () => {
  let d: Deployment;

  beforeAll(async () => {
    d = await startDeployment();
  }, 60_000);
  afterAll(() => d?.stop(), 30_000);

  const scrape = async (url: string) => {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };
  const workers = async () =>
    (await (await d.call(`/health/workers`, { signal: AbortSignal.timeout(5_000) })).json()) as WorkersReport;

  it('counts the request, the enqueued tasks and their runs of one order on both hosts', async () => {
    const apiBefore = await scrape(d.api.url);
    const workerBefore = await scrape(d.worker.url);
    for (const text of [apiBefore, workerBefore]) {
      expect(text).toMatch(/^coordinator_process_cpu_user_seconds_total /m);
      expect(text).toMatch(/^coordinator_nodejs_eventloop_lag_seconds /m);
    }

    const response = await d.call(`/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `metrics-${randomUUID()}` },
      body: JSON.stringify(order),
    });
    expect(response.status).toBe(202);
    const { orderId } = (await response.json()) as { orderId: string };
    await eventually(
      async () => (await (await d.call(`/orders/${orderId}`)).json()) as OrderView,
      (v) => v.stage === 'fulfilled',
      { what: 'order fulfilled' },
    );

    const api = await scrape(d.api.url);
    const moved = (text: string, before: string, series: string) => value(text, series) - value(before, series);
    expect(moved(api, apiBefore, 'coordinator_http_requests_total{method="POST",route="/orders",status="202"}')).toBe(
      1,
    );
    expect(moved(api, apiBefore, 'coordinator_tasks_enqueued_total{task="orders.submit"}')).toBe(1);
    // The provider's webhook came in through the api too.
    expect(moved(api, apiBefore, 'coordinator_tasks_enqueued_total{task="payments.process-event"}')).toBeGreaterThan(0);
    expect(api).toMatch(
      /^coordinator_http_request_duration_seconds_count\{method="POST",route="\/orders",status="202"\} /m,
    );
    // Route patterns, never raw URLs: the order id is not a label.
    expect(api).toContain('route="/orders/:id"');
    expect(api).not.toContain(orderId);
    expect(api).toMatch(/^coordinator_queue_jobs\{queue="orders",state="waiting"\} \d+/m);
    expect(api).toMatch(/^coordinator_dead_letters\{queue="payments"\} \d+/m);
    expect(value(api, 'coordinator_queue_workers{queue="orders"}')).toBe(1);
    expect(value(api, 'coordinator_queue_workers{queue="payments"}')).toBe(1);
    expect(api).toMatch(/^coordinator_worker_heartbeat_age_seconds\{worker="[^"]+"\} [\d.e-]+$/m);
    // Breakers live in the worker hosts, where tasks call downstreams.
    expect(api).not.toContain('coordinator_breaker_state');

    const worker = await eventually(
      () => scrape(d.worker.url),
      (text) =>
        value(text, 'coordinator_tasks_completed_total{task="orders.fulfil"}') >= 1 &&
        value(text, 'coordinator_queue_jobs{queue="orders",state="completed"}') >= 1,
      { what: 'worker metrics of the order', show: (text) => text.split('\n').filter((l) => /task=|queue=/.test(l)) },
    );
    expect(value(worker, 'coordinator_tasks_completed_total{task="orders.submit"}')).toBeGreaterThanOrEqual(1);
    expect(value(worker, 'coordinator_tasks_started_total{task="orders.submit"}')).toBeGreaterThanOrEqual(1);
    expect(
      moved(worker, workerBefore, 'coordinator_task_duration_seconds_count{task="orders.submit",outcome="completed"}'),
    ).toBeGreaterThanOrEqual(1);
    // Jobs the worker's handlers enqueued: order.placed → payments.create-payment, and so on.
    expect(
      moved(worker, workerBefore, 'coordinator_tasks_enqueued_total{task="payments.create-payment"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(worker).toMatch(/^coordinator_dead_letters\{queue="orders"\} 0$/m);
    // Every downstream of the served tasks, closed.
    expect(worker).toMatch(/^coordinator_breaker_state\{downstream="order-management"\} 0$/m);
    expect(worker).toMatch(/^coordinator_breaker_state\{downstream="payment-provider"\} 0$/m);
  }, 30_000);

  it('lists the worker host serving each queue, then both queues unserved once it stopped', async () => {
    const served = await workers();
    expect(served).toMatchObject({ status: 'ok', unserved: [] });
    expect(served.queues.map((q) => q.queue).sort()).toEqual(['orders', 'payments']);
    for (const queue of served.queues) {
      expect(queue.workers).toEqual([
        expect.objectContaining({
          pid: d.worker.pid,
          coreVersion: expect.any(String),
          extensions: expect.arrayContaining([expect.objectContaining({ name: 'orders' })]),
          heartbeatAgeSeconds: expect.any(Number),
        }),
      ]);
      expect(queue.workers[0]!.heartbeatAgeSeconds).toBeLessThan(15);
    }

    expect(await d.worker.stop('SIGTERM')).toBe(0);
    const report = await workers();
    expect(report.status).toBe('degraded');
    expect([...report.unserved].sort()).toEqual(['orders', 'payments']);
    expect(report.queues.every((q) => q.workers.length === 0)).toBe(true);
    // Still 200: the api keeps accepting work for the queues to hold.
    expect((await d.call(`/health/workers`)).status).toBe(200);
    expect((await d.call(`/health/ready`)).status).toBe(200);
    const api = await eventually(
      () => scrape(d.api.url),
      (text) => value(text, 'coordinator_queue_workers{queue="orders"}') === 0,
      { what: 'no worker in the metrics' },
    );
    expect(value(api, 'coordinator_queue_workers{queue="payments"}')).toBe(0);
  }, 30_000);
});
