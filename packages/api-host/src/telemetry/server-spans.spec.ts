import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'node:http';
import { mountServerSpans } from './server-spans.js';

describe('mountServerSpans (real HTTP)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('spec');
  const contextManager = new AsyncLocalStorageContextManager();
  let fastify: FastifyInstance;
  let base: string;
  /** What later hooks and the handler saw as the active span. */
  const seen: Record<string, string | undefined> = {};
  const activeSpanId = () => trace.getActiveSpan()?.spanContext().spanId;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    fastify = Fastify();
    mountServerSpans(fastify, tracer);
    // Hooks mounted after it, as authentication and the request log are in the api host.
    fastify.addHook('onRequest', async () => {
      await Promise.resolve();
      seen['onRequest'] = activeSpanId();
    });
    fastify.addHook('preHandler', (_request, _reply, done) => {
      seen['preHandler'] = activeSpanId();
      done();
    });
    fastify.addHook('onResponse', async () => {
      seen['onResponse'] = activeSpanId();
    });
    fastify.post('/orders', async (request, reply) => {
      // The body came through the socket's events: the handler must still be in the request's span.
      seen['handler'] = activeSpanId();
      tracer.startSpan('add orders.submit', { kind: SpanKind.PRODUCER }).end();
      return reply.code(202).send({ lines: (request.body as { lines: unknown[] }).lines.length });
    });
    fastify.get('/orders/:id', async () => ({ id: 'o-1' }));
    fastify.get('/broken', async () => {
      throw new Error('boom');
    });
    fastify.get('/health/ready', async () => ({ status: 'ok' }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = fastify.server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await fastify.close();
    contextManager.disable();
    context.disable();
    propagation.disable();
  });

  beforeEach(() => {
    exporter.reset();
    for (const key of Object.keys(seen)) delete seen[key];
  });

  /** The spans once the response's hooks have ended them. */
  async function spansAfter(response: Response, count: number) {
    await response.clone().arrayBuffer();
    for (let waited = 0; exporter.getFinishedSpans().length < count && waited < 2_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return exporter.getFinishedSpans();
  }

  /**
   * A POST whose body arrives in two parts 50 ms apart, as from a slow client: the second part
   * comes through the socket's own event, in no request's context; Fastify must still run the
   * rest of the request in the span's.
   */
  async function postInParts(path: string, body: string): Promise<Response> {
    const { port } = fastify.server.address() as { port: number };
    const middle = Math.floor(body.length / 2);
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, path, method: 'POST' }, (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () => resolve(new Response(text, { status: incoming.statusCode })));
      });
      outgoing.on('error', reject);
      outgoing.setHeader('content-type', 'application/json');
      outgoing.setHeader('content-length', Buffer.byteLength(body));
      outgoing.setHeader('user-agent', 'spec-client/1.0');
      outgoing.write(body.slice(0, middle));
      setTimeout(() => outgoing.end(body.slice(middle)), 50);
    });
  }

  it('gives a request with a body one server span, active in every later hook and the handler', async () => {
    const body = JSON.stringify({ lines: [{ sku: 'S-1' }, { sku: 'S-2' }] });
    const response = await postInParts('/orders?debug=1', body);
    expect(response.status).toBe(202);
    const spans = await spansAfter(response, 2);
    const server = spans.find((span) => span.kind === SpanKind.SERVER)!;
    const producer = spans.find((span) => span.kind === SpanKind.PRODUCER)!;
    expect(server.name).toBe('POST /orders');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/orders',
      'url.path': '/orders',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'client.address': '127.0.0.1',
      'user_agent.original': 'spec-client/1.0',
      'http.response.status_code': 202,
    });
    expect(JSON.stringify(server.attributes)).not.toContain('debug=1');
    expect(producer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    const id = server.spanContext().spanId;
    expect(seen).toEqual({ onRequest: id, preHandler: id, handler: id, onResponse: id });
    expect(await response.json()).toEqual({ lines: 2 });
  });

  it("continues the caller's trace from its traceparent header", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const response = await fetch(`${base}/orders/o-1`, {
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    const [server] = await spansAfter(response, 1);
    expect(server!.name).toBe('GET /orders/:id');
    expect(server!.spanContext().traceId).toBe(traceId);
    expect(server!.parentSpanContext?.spanId).toBe(callerSpanId);
  });

  it('marks a server error, not a client error, as an error', async () => {
    const [broken] = await spansAfter(await fetch(`${base}/broken`), 1);
    expect(broken!.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken!.attributes['http.response.status_code']).toBe(500);

    exporter.reset();
    const [missing] = await spansAfter(await fetch(`${base}/nowhere`), 1);
    expect(missing!.name).toBe('GET');
    expect(missing!.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing!.attributes['http.response.status_code']).toBe(404);
  });

  it('leaves probes untraced', async () => {
    const response = await fetch(`${base}/health/ready`);
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
