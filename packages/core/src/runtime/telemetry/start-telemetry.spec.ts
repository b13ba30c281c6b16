import { afterEach, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { core, tracing } from '@opentelemetry/sdk-node';
import { startTelemetry } from './start-telemetry.js';
import { activeTelemetry, shutdownTelemetry } from './telemetry-state.js';

describe('startTelemetry with a trace exporter', () => {
  afterEach(() => shutdownTelemetry());

  it('sends spans to that exporter, whatever OTEL_TRACES_EXPORTER says', async () => {
    // Records names as they are exported (InMemorySpanExporter forgets its spans on shutdown).
    const exported: string[] = [];
    const exporter: tracing.SpanExporter = {
      export: (spans, done) => {
        exported.push(...spans.map((span) => span.name));
        done({ code: core.ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    };
    const started = await startTelemetry({
      serviceName: 'telemetry-spec',
      env: { OTEL_TRACES_EXPORTER: 'none' },
      traceExporter: exporter,
    });
    expect(started).toBe(true);
    expect(activeTelemetry()?.serviceName).toBe('telemetry-spec');

    trace.getTracer('spec').startSpan('checkout').end();
    // The batch processor hands the span over on shutdown at the latest.
    await shutdownTelemetry();
    expect(exported).toEqual(['checkout']);
  });

  it('stays off with OTEL_SDK_DISABLED=true', async () => {
    const started = await startTelemetry({
      serviceName: 'telemetry-spec',
      env: { OTEL_SDK_DISABLED: 'true' },
      traceExporter: new tracing.InMemorySpanExporter(),
    });
    expect(started).toBe(false);
    expect(activeTelemetry()).toBeUndefined();
  });
});
