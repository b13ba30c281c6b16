/*
 * Observability across separate processes: with OTEL_* set, one order is one trace from
 * the API's HTTP span through the queue to the downstream calls of both extensions, and
 * the worker's JSON log lines carry that trace; secrets are in neither.
 */
import type { OrderView } from '@coordinator/extension-orders';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { eventually, startDeployment, type Deployment } from './support/deployment.js';
import { OtlpReceiver, SpanKind, isRedisSpan, type ReceivedSpan } from './support/otlp-receiver.js';

const order = { customerId: 'c-77', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1250 }] };
/** The shop's JWT, sent with the order: it must not show up in any log line or span. */
let bearer: string;

describe('tracing and logs across separate processes', () => {
  let d: Deployment;
  let receiver: OtlpReceiver;
  let accepted: { orderId: string; taskId: string };

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    d = await startDeployment({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOG_LEVEL: 'debug',
    });
    const token = await new SignJWT({ scope: 'orders:write orders:read tasks:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('shop-frontend')
      .setIssuer('https://issuer.test')
      .setAudience('coordinator')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(d.jwtSecret));
    bearer = `Bearer ${token}`;
    const response = await d.call(`/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `trace-${randomUUID()}`,
        authorization: bearer,
      },
      body: JSON.stringify(order),
    });
    expect(response.status).toBe(202);
    accepted = (await response.json()) as typeof accepted;
    await eventually(
      async () =>
        (await (
          await d.call(`/orders/${accepted.orderId}`, { headers: { authorization: bearer } })
        ).json()) as OrderView,
      (view) => view.stage === 'fulfilled',
      { what: 'order fulfilled' },
    );
  }, 60_000);
  afterAll(async () => {
    await d?.stop();
    await receiver?.close();
  }, 30_000);

  /** The spans of the order's trace once the whole chain has arrived (exports come every 200 ms). */
  const chain = () =>
    eventually(
      async () => traceChain(receiver.spans(), accepted.taskId, d),
      (found) => found.complete,
      { what: 'the spans of the order', timeoutMs: 15_000, intervalMs: 200, show: (found) => found.missing },
    );

  it('makes one trace: HTTP request → enqueue → orders.submit → OMS → order.placed → create-payment → provider', async () => {
    const c = await chain();
    const spans = [c.server, c.enqueue, c.task, c.omsCall, c.signal, c.paymentTask];
    const { server, enqueue, task, omsCall, signal, paymentTask, providerCall } = c;

    expect(server).toMatchObject({ service: 'coordinator-api', kind: SpanKind.SERVER });
    expect(enqueue).toMatchObject({
      service: 'coordinator-api',
      kind: SpanKind.PRODUCER,
      parentSpanId: server!.spanId,
    });
    expect(enqueue!.name).toContain('orders.submit');
    // One span per attempt: the task's, a consumer span, child of the enqueue span.
    expect(task).toMatchObject({
      name: 'task orders.submit',
      service: 'coordinator-worker',
      kind: SpanKind.CONSUMER,
      parentSpanId: enqueue!.spanId,
    });
    expect(task!.attributes).toMatchObject({
      'coordinator.task.name': 'orders.submit',
      'coordinator.task.id': accepted.taskId,
      'coordinator.task.attempt': 1,
      'coordinator.extension': 'orders',
    });
    expect(omsCall).toMatchObject({ kind: SpanKind.CLIENT, parentSpanId: task!.spanId });

    // order.placed, emitted by the submit task, starts payments.create-payment in the same trace.
    expect(signal).toMatchObject({
      service: 'coordinator-worker',
      kind: SpanKind.PRODUCER,
      parentSpanId: task!.spanId,
    });
    expect(paymentTask).toMatchObject({
      name: 'task payments.create-payment',
      kind: SpanKind.CONSUMER,
      parentSpanId: signal!.spanId,
    });
    expect(paymentTask!.attributes).toMatchObject({
      'coordinator.task.attempt': 1,
      'coordinator.extension': 'payments',
    });
    expect(providerCall).toMatchObject({ kind: SpanKind.CLIENT, parentSpanId: paymentTask!.spanId });

    expect(new Set([...spans, providerCall].map((s) => s!.traceId)).size).toBe(1);
    // Redis command spans only with COORDINATOR_TRACE_REDIS=true (tracing-redis.e2e.spec.ts).
    expect(receiver.spans().filter(isRedisSpan)).toEqual([]);
  });

  it('gives every attempt its own span, children of the one enqueue span', async () => {
    d.oms.faults.set({ failNext: 1 });
    const response = await d.call(`/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `trace-${randomUUID()}` },
      body: JSON.stringify(order),
    });
    const retried = (await response.json()) as { taskId: string };
    const attempts = await eventually(
      async () => receiver.spans().filter((s) => s.attributes['coordinator.task.id'] === retried.taskId),
      (found) => found.length === 2,
      { what: 'two task spans', timeoutMs: 20_000, intervalMs: 200, show: (found) => found.length },
    );
    d.oms.faults.reset();
    const byId = new Map(receiver.spans().map((s) => [s.spanId, s]));
    const [first, second] = attempts.sort(
      (a, b) => Number(a.attributes['coordinator.task.attempt']) - Number(b.attributes['coordinator.task.attempt']),
    );
    expect([first!.attributes['coordinator.task.attempt'], second!.attributes['coordinator.task.attempt']]).toEqual([
      1, 2,
    ]);
    expect([first!.kind, second!.kind]).toEqual([SpanKind.CONSUMER, SpanKind.CONSUMER]);
    expect(first!.spanId).not.toBe(second!.spanId);
    expect(first!.parentSpanId).toBe(second!.parentSpanId);
    expect(byId.get(first!.parentSpanId!)?.kind).toBe(SpanKind.PRODUCER);
    // BullMQ's own `process <queue>` span is not recorded: the task's span stands for the attempt.
    expect(receiver.spans().filter((s) => s.name.startsWith('process '))).toEqual([]);
    expect(new Set([first!.traceId, second!.traceId]).size).toBe(1);
  }, 30_000);

  it('exports no secret: neither the provider API key, the webhook secret nor an authorization header', async () => {
    await chain();
    const exported = receiver.bodies();
    expect(exported).not.toContain(d.provider.apiKey);
    expect(exported).not.toContain(d.provider.webhookSecret);
    expect(exported).not.toContain(bearer.slice('Bearer '.length));
    expect(exported).not.toContain(d.apiKey);
    expect(exported).not.toContain(d.jwtSecret);
  });

  it("writes the task's log lines as JSON with its trace id, task name, job id, attempt and extension", async () => {
    const { task } = await chain();
    const lines = d.worker
      .output()
      .split('\n')
      .filter((line) => line.includes(accepted.taskId));
    expect(lines.length).toBeGreaterThan(0);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      expect(record).toMatchObject({
        service: 'coordinator-worker',
        traceId: task!.traceId,
        task: 'orders.submit',
        taskId: accepted.taskId,
        attempt: 1,
        extension: 'orders',
      });
      expect(typeof record['spanId']).toBe('string');
    }
    expect(records.map((r) => r['msg'])).toEqual(
      expect.arrayContaining(['order created at order management', 'task completed']),
    );
  });

  it('logs requests with method, route, status and duration, and no key, token or secret in either host', async () => {
    await chain();
    const api = d.api.output();
    const request = api
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((r) => r['context'] === 'HTTP' && r['method'] === 'POST' && r['route'] === '/orders');
    expect(request).toMatchObject({ status: 202, level: 'info' });
    expect(typeof request!['durationMs']).toBe('number');
    expect(request!['traceId']).toMatch(/^[0-9a-f]{32}$/);

    for (const output of [api, d.worker.output()]) {
      expect(output).not.toContain(d.provider.apiKey);
      expect(output).not.toContain(d.provider.webhookSecret);
      expect(output).not.toContain(bearer.slice('Bearer '.length));
      expect(output).not.toContain(d.apiKey);
      expect(output).not.toContain(d.jwtSecret);
      // No credential of any kind, not even one the host refused.
      expect(output).not.toMatch(
        /cck_[A-Za-z0-9_-]{20}|eyJ[A-Za-z0-9_-]{10,}\.|authorization"?\s*[:=]\s*"?(Bearer|Basic) /i,
      );
    }
  });
});

interface Chain {
  complete: boolean;
  missing: string[];
  server?: ReceivedSpan;
  enqueue?: ReceivedSpan;
  task?: ReceivedSpan;
  omsCall?: ReceivedSpan;
  signal?: ReceivedSpan;
  paymentTask?: ReceivedSpan;
  providerCall?: ReceivedSpan;
}

/** Follows the order's spans from its submit task, up to the HTTP request and down to the provider. */
function traceChain(spans: readonly ReceivedSpan[], taskId: string, d: Deployment): Chain {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentOf = (span: ReceivedSpan | undefined) => (span?.parentSpanId ? byId.get(span.parentSpanId) : undefined);
  const childOf = (span: ReceivedSpan | undefined, match: (s: ReceivedSpan) => boolean) =>
    span ? spans.find((s) => s.parentSpanId === span.spanId && match(s)) : undefined;
  const url = (s: ReceivedSpan) => String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '');

  const task = spans.find((s) => s.attributes['coordinator.task.id'] === taskId);
  const enqueue = parentOf(task);
  const server = parentOf(enqueue);
  const omsCall = childOf(task, (s) => s.kind === SpanKind.CLIENT && url(s).startsWith(d.oms.url));
  const signal = childOf(task, (s) => s.kind === SpanKind.PRODUCER && s.name.includes('payments.create-payment'));
  const paymentTask = childOf(signal, (s) => s.name === 'task payments.create-payment');
  const providerCall = childOf(paymentTask, (s) => s.kind === SpanKind.CLIENT && url(s).startsWith(d.provider.url));
  const found = { server, enqueue, task, omsCall, signal, paymentTask, providerCall };
  const missing = Object.entries(found)
    .filter(([, span]) => span === undefined)
    .map(([name]) => name);
  return { complete: missing.length === 0, missing, ...found };
}
