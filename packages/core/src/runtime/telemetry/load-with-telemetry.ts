import { startTelemetry, type StartTelemetryOptions } from './start-telemetry.js';
import { redisSpansRequested } from './tracing-config.js';

/**
 * Loads a host's modules with `load` and starts tracing (as {@link startTelemetry} does), in the
 * order that costs a host's start least.
 *
 * Tracing starts after the modules: its HTTP instrumentation hooks `require` (require-in-the-middle),
 * and the ≈ 1,400 CommonJS modules a host loads would each pass that hook. `node:http` and
 * `node:https`, loaded before, are patched when tracing starts, ES module named imports
 * (`import { request } from 'node:http'`) included. Calls through `fetch` are seen on undici's
 * diagnostics channel whenever it was loaded.
 *
 * With `COORDINATOR_TRACE_REDIS=true` tracing starts first instead: the ES module loader hook
 * that gives ioredis its spans sees only modules loaded after it is registered.
 *
 * `load` must not start anything that traces (a server, a worker): only import modules.
 *
 * @example
 * ```ts
 * const { startWorkerHost } = await loadWithTelemetry({ serviceName: 'coordinator-worker' }, async () => {
 *   await import('reflect-metadata');
 *   return import('@coordinator/worker-host');
 * });
 * const worker = await startWorkerHost();
 * ```
 */
export async function loadWithTelemetry<T>(options: StartTelemetryOptions, load: () => Promise<T>): Promise<T> {
  if (redisSpansRequested(options.env ?? process.env)) {
    await startTelemetry(options);
    return load();
  }
  const loaded = await load();
  await startTelemetry(options);
  return loaded;
}
