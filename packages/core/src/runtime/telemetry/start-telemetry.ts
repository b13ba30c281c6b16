import { activeTelemetry } from './telemetry-state.js';
import { tracingEnabled } from './tracing-config.js';

/**
 * Options of {@link startTelemetry}.
 *
 * @example
 * ```ts
 * const options: StartTelemetryOptions = { serviceName: 'coordinator-api' };
 * ```
 */
export interface StartTelemetryOptions {
  /** Used when `OTEL_SERVICE_NAME` is unset. */
  serviceName: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts OpenTelemetry tracing when the environment asks for it (see
 * {@link tracingEnabled}); otherwise returns `false` without loading the SDK.
 *
 * It must run before the code it instruments is loaded: the host bins call it first and
 * import everything else afterwards with `await import(…)`. It starts
 * `@opentelemetry/sdk-node` with OTLP export configured by the standard `OTEL_*`
 * variables and instrumentations for HTTP (server and client) and fetch/undici; with
 * `COORDINATOR_TRACE_REDIS=true` also for ioredis, for which it first registers an ES
 * module loader hook (import-in-the-middle).
 *
 * @example
 * ```ts
 * await startTelemetry({ serviceName: 'coordinator-worker' });
 * const { startWorkerHost } = await import('@coordinator/worker-host');
 * ```
 */
export async function startTelemetry(options: StartTelemetryOptions): Promise<boolean> {
  if (activeTelemetry()) return true;
  const env = options.env ?? process.env;
  if (!tracingEnabled(env)) return false;
  const { startNodeSdk } = await import('./node-sdk.js');
  await startNodeSdk(options.serviceName, env);
  return true;
}
