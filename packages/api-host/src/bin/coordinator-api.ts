#!/usr/bin/env node
import { loadWithTelemetry, shutdownTelemetry } from '@coordinator/core/runtime/telemetry';

// The rest comes in through import(), so that tracing (when OTEL_* asks for it) can start before or
// after it: after, unless Redis spans need their ES module loader hook registered first.
const [{ runUntilSignal }, { startApiHost }] = await loadWithTelemetry({ serviceName: 'coordinator-api' }, async () => {
  await import('reflect-metadata');
  return Promise.all([import('@coordinator/core/runtime'), import('../start-api-host.js')]);
});

await runUntilSignal(
  'coordinator-api',
  async () => {
    const host = await startApiHost();
    // Spans still buffered are flushed last, after in-flight requests finished.
    return { ...host, close: () => host.close().finally(shutdownTelemetry) };
  },
  (host) => host.settings.SHUTDOWN_GRACE_MS,
);
