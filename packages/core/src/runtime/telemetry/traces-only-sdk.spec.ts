import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tracesOnlySupports } from './traces-only-sdk.js';

describe('tracesOnlySupports', () => {
  it.each([
    [{}, false, true],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, false, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, false, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp,console', OTEL_PROPAGATORS: 'tracecontext' }, false, true],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, false, false],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, false, false],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, true, true], // the exporter given in code replaces it
    [{ OTEL_PROPAGATORS: 'tracecontext,b3' }, true, false],
    [{ OTEL_METRICS_EXPORTER: 'otlp' }, true, false],
    [{ OTEL_LOGS_EXPORTER: 'console' }, false, false],
    [{ OTEL_NODE_RESOURCE_DETECTORS: 'all' }, false, false],
  ])('%j (exporter given: %s) → %s', (env, exporterGiven, expected) => {
    expect(tracesOnlySupports(env, exporterGiven)).toBe(expected);
  });
});

/** What an OTLP/HTTP JSON request carries, as far as these checks look. */
interface ExportRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string }[] }[];
  }[];
}

describe('tracing started from the environment, in a process of its own', () => {
  const requests: ExportRequest[] = [];
  let receiver: Server;
  let url: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push(JSON.parse(body) as ExportRequest);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  /** Starts telemetry from the built package with `env`, ends one span, shuts down; says whether NodeSDK was loaded. */
  async function traceOnce(env: Record<string, string>): Promise<{ nodeSdkLoaded: boolean; spans: string[] }> {
    const built = fileURLToPath(new URL('../../../dist/runtime/telemetry/index.js', import.meta.url));
    const script = `
      import { createRequire } from 'node:module';
      import { trace } from '@opentelemetry/api';
      const { startTelemetry, shutdownTelemetry } = await import(${JSON.stringify(built)});
      await startTelemetry({ serviceName: 'traces-only-spec' });
      trace.getTracer('spec').startSpan('checkout').end();
      await shutdownTelemetry();
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(JSON.stringify(loaded.some((path) => path.includes('/@opentelemetry/sdk-node/'))));
    `;
    const before = requests.length;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: {
        PATH: process.env['PATH'],
        OTEL_EXPORTER_OTLP_ENDPOINT: url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`telemetry child exited with ${code}: ${err}`);
    const spans = requests
      .slice(before)
      .flatMap((request) => request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)))
      .map((span) => span.name);
    return { nodeSdkLoaded: JSON.parse(out) as boolean, spans };
  }

  it('exports over OTLP/HTTP without loading NodeSDK, with the resource and sampler the variables ask for', async () => {
    const result = await traceOnce({
      OTEL_SERVICE_NAME: 'checkout-api',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=spec',
    });
    expect(result).toEqual({ nodeSdkLoaded: false, spans: ['checkout'] });
    const attributes = Object.fromEntries(
      requests.at(-1)!.resourceSpans[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]),
    );
    expect(attributes).toMatchObject({
      'service.name': 'checkout-api',
      'deployment.environment': 'spec',
      'process.runtime.name': 'nodejs',
    });
    expect(attributes['host.name']).toEqual(expect.any(String));

    await expect(traceOnce({ OTEL_TRACES_SAMPLER: 'always_off' })).resolves.toEqual({
      nodeSdkLoaded: false,
      spans: [],
    });
  });

  it('leaves other configurations to NodeSDK, which exports the same way', async () => {
    await expect(traceOnce({ OTEL_PROPAGATORS: 'b3' })).resolves.toEqual({ nodeSdkLoaded: true, spans: ['checkout'] });
  });
});
