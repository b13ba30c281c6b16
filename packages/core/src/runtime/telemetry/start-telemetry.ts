import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { activeTelemetry, providedTraceExporter } from './telemetry-state.js';
import { sdkDisabled, tracingEnabled } from './tracing-config.js';

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
  /**
   * Where spans go instead of the exporters `OTEL_TRACES_EXPORTER` names; it turns tracing on
   * whatever that variable says (only `OTEL_SDK_DISABLED=true` still turns it off). Spans reach it
   * through the same batch processor (`OTEL_BSP_*`) as with OTLP. For a program that starts a
   * host itself: an in-memory exporter in a test, a vendor's exporter, or one that drops every
   * span to measure what tracing costs without export. Unset: the one given to
   * `provideTraceExporter()`, if any.
   */
  traceExporter?: NodeSDKConfiguration['traceExporter'];
}

/**
 * Starts OpenTelemetry tracing when the environment asks for it (see
 * {@link tracingEnabled}); otherwise returns `false` without loading the SDK.
 *
 * It may run before or after the code it instruments is loaded, except with
 * `COORDINATOR_TRACE_REDIS=true`, which needs it first; the host bins call it through
 * `loadWithTelemetry()`, which picks the order that starts faster. It starts the OpenTelemetry SDK
 * (`@opentelemetry/sdk-node`, or for traces alone its parts) with export configured by the
 * standard `OTEL_*` variables and instrumentations for outgoing HTTP and fetch/undici; with
 * `COORDINATOR_TRACE_REDIS=true` also for ioredis, for which it first registers an ES
 * module loader hook (import-in-the-middle). Incoming requests are not instrumented here:
 * the api host gives each a server span from its Fastify hooks once tracing is active.
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
  const traceExporter = options.traceExporter ?? providedTraceExporter();
  if (traceExporter ? sdkDisabled(env) : !tracingEnabled(env)) return false;
  const { startNodeSdk } = await import('./node-sdk.js');
  await startNodeSdk(options.serviceName, env, traceExporter);
  return true;
}
