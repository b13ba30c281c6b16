#!/usr/bin/env node
import { shutdownTelemetry, startTelemetry } from '@coordinator/core/runtime/telemetry';

// Tracing (when OTEL_* asks for it) starts before anything it instruments is loaded: the
// rest comes in through import() below, after its ES module loader hook is registered.
await startTelemetry({ serviceName: 'coordinator-worker' });
await import('reflect-metadata');
const { runUntilSignal } = await import('@coordinator/core/runtime');
const { startWorkerHost } = await import('../start-worker-host.js');

await runUntilSignal(
  'coordinator-worker',
  async () => {
    const worker = await startWorkerHost();
    // Spans still buffered are flushed last, after the running jobs finished.
    return { ...worker, close: () => worker.close().finally(shutdownTelemetry) };
  },
  (worker) => worker.settings.SHUTDOWN_GRACE_MS + 5_000,
);
