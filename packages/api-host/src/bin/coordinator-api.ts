#!/usr/bin/env node
import { shutdownTelemetry, startTelemetry } from '@coordinator/core/runtime/telemetry';

// Tracing (when OTEL_* asks for it) starts before anything it instruments is loaded: the
// rest comes in through import() below, after its ES module loader hook is registered.
await startTelemetry({ serviceName: 'coordinator-api' });
await import('reflect-metadata');
const { runUntilSignal } = await import('@coordinator/core/runtime');
const { startApiHost } = await import('../start-api-host.js');

await runUntilSignal(
  'coordinator-api',
  async () => {
    const host = await startApiHost();
    // Spans still buffered are flushed last, after in-flight requests finished.
    return { ...host, close: () => host.close().finally(shutdownTelemetry) };
  },
  (host) => host.settings.SHUTDOWN_GRACE_MS,
);
