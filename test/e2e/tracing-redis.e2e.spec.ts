/*
 * Redis command spans are opt-in (COORDINATOR_TRACE_REDIS=true): only then do the hosts
 * register the ES module loader hook that patches ioredis. With the flag, the api host's
 * enqueue shows its Redis commands in the order's trace; tracing.e2e.spec.ts checks that
 * without it there are none.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventually, startDeployment, type Deployment } from './support/deployment.js';
import { OtlpReceiver, SpanKind, isRedisSpan } from './support/otlp-receiver.js';

const order = { customerId: 'c-78', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1250 }] };

describe('Redis command spans with COORDINATOR_TRACE_REDIS=true', () => {
  let d: Deployment;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    d = await startDeployment({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      COORDINATOR_TRACE_REDIS: 'true',
    });
  }, 60_000);
  afterAll(async () => {
    await d?.stop();
    await receiver?.close();
  }, 30_000);

  it("records the api host's Redis commands inside the order's HTTP request trace", async () => {
    const response = await d.call('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `redis-trace-${randomUUID()}` },
      body: JSON.stringify(order),
    });
    expect(response.status).toBe(202);
    const server = await eventually(
      async () =>
        receiver
          .spans()
          .find((s) => s.service === 'coordinator-api' && s.kind === SpanKind.SERVER && s.name.includes('POST')),
      (found) => found !== undefined,
      { what: 'the POST /orders server span', timeoutMs: 15_000, intervalMs: 200 },
    );
    const redisSpans = await eventually(
      async () => receiver.spans().filter((s) => s.traceId === server!.traceId && isRedisSpan(s)),
      (found) => found.some((s) => s.service === 'coordinator-api'),
      { what: "the api host's Redis spans", timeoutMs: 15_000, intervalMs: 200, show: (found) => found.length },
    );
    expect(redisSpans.every((s) => s.kind === SpanKind.CLIENT)).toBe(true);
  });
});
