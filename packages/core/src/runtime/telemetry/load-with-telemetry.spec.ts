/*
 * loadWithTelemetry() in a process of its own, from the built package, as a host bin uses it:
 * `node:http` and `node:https` are loaded before tracing starts (by the script's own imports,
 * as by Fastify and the SDKs in a host), and their outgoing calls still get client spans.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** What the child reports: whether tracing was on while `load` ran, and the spans it exported. */
interface ChildReport {
  tracingDuringLoad: boolean;
  spans: { name: string; kind: number; parentSpanId?: string; url?: string; error: boolean }[];
  parentSpanId: string;
}

const SPAN_KIND_CLIENT = 2;

describe('loadWithTelemetry', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => res.writeHead(200).end(req.url));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function runChild(env: Record<string, string>): Promise<ChildReport> {
    const built = fileURLToPath(new URL('../../../dist/runtime/telemetry/index.js', import.meta.url));
    const script = `
      import http, { get, request } from 'node:http';
      import https, { request as httpsRequest } from 'node:https';
      import { trace } from '@opentelemetry/api';
      const { activeTelemetry, loadWithTelemetry, provideTraceExporter, shutdownTelemetry } = await import(
        ${JSON.stringify(built)}
      );
      const spans = [];
      provideTraceExporter({
        export(batch, done) {
          for (const s of batch) {
            spans.push({
              name: s.name,
              kind: s.kind,
              parentSpanId: s.parentSpanContext?.spanId,
              url: s.attributes['url.full'] ?? s.attributes['http.url'],
              error: s.status.code === 2,
            });
          }
          done({ code: 0 });
        },
        shutdown: async () => {},
      });
      let tracingDuringLoad;
      await loadWithTelemetry({ serviceName: 'load-spec' }, async () => {
        tracingDuringLoad = activeTelemetry() !== undefined;
      });

      const base = 'http://127.0.0.1:${port}';
      const answered = (call) => new Promise((resolve, reject) => call((res) => res.resume().on('end', resolve)).on('error', reject));
      const refused = (req) => new Promise((resolve) => req.on('error', resolve).end());
      const parentSpanId = await trace.getTracer('spec').startActiveSpan('parent', async (span) => {
        await answered((done) => http.request(base + '/default-export', done).end());
        await answered((done) => request(base + '/named-export', done).end());
        await answered((done) => get(base + '/get', done));
        // TLS to a plain HTTP server: the call fails, and its span says so.
        await refused(https.request('https://127.0.0.1:${port}/https-default-export'));
        await refused(httpsRequest('https://127.0.0.1:${port}/https-named-export'));
        span.end();
        return span.spanContext().spanId;
      });
      await shutdownTelemetry();
      process.stdout.write(JSON.stringify({ tracingDuringLoad, spans, parentSpanId }));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: { PATH: process.env['PATH'], OTEL_TRACES_EXPORTER: 'none', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`child exited with ${code}: ${err}`);
    return JSON.parse(out) as ChildReport;
  }

  it.each([
    ['after loading, by default', {}, false],
    ['before loading with COORDINATOR_TRACE_REDIS=true', { COORDINATOR_TRACE_REDIS: 'true' }, true],
  ])(
    'starts tracing %s; node:http and node:https calls get client spans either way',
    async (_order, env, tracingDuringLoad) => {
      const report = await runChild(env);
      expect(report.tracingDuringLoad).toBe(tracingDuringLoad);
      const clients = report.spans.filter((span) => span.kind === SPAN_KIND_CLIENT);
      expect(clients.map((span) => new URL(span.url!).pathname).sort()).toEqual([
        '/default-export',
        '/get',
        '/https-default-export',
        '/https-named-export',
        '/named-export',
      ]);
      for (const span of clients) {
        expect(span.parentSpanId).toBe(report.parentSpanId);
        expect(span.error).toBe(span.url!.startsWith('https:'));
      }
    },
    20_000,
  );
});
