#!/usr/bin/env node
import { loadWithTelemetry, shutdownTelemetry } from '@coordinator/core/runtime/telemetry';

// The rest comes in through import(), so that tracing (when OTEL_* asks for it) can start before or
// after it: after, unless Redis spans need their ES module loader hook registered first.
const [{ runUntilSignal }, { startWorkerHost }] = await loadWithTelemetry(
  { serviceName: 'coordinator-worker' },
  async () => {
    await import('reflect-metadata');
    return Promise.all([import('@coordinator/core/runtime'), import('../start-worker-host.js')]);
  },
);

await runUntilSignal(
  'coordinator-worker',
  async () => {
    const worker = await startWorkerHost();
    // Spans still buffered are flushed last, after the running jobs finished.
    return { ...worker, close: () => worker.close().finally(shutdownTelemetry) };
  },
  (worker) => worker.settings.SHUTDOWN_GRACE_MS + 5_000,
);
