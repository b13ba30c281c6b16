/*
 * The OpenTelemetry SDK proper. Loaded (by start-telemetry.ts) only when tracing is on,
 * so a host without OTEL_* variables never loads any of it. Traces-only configurations start
 * without NodeSDK (traces-only-sdk.ts); the rest with it.
 */
import { createRequire, register, syncBuiltinESMExports } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { setActiveTelemetry } from './telemetry-state.js';
import { redisSpansRequested } from './tracing-config.js';
import { startTracesOnly, tracesOnlySupports } from './traces-only-sdk.js';

export async function startNodeSdk(
  serviceName: string,
  env: NodeJS.ProcessEnv,
  traceExporter?: NodeSDKConfiguration['traceExporter'],
): Promise<void> {
  // A span per Redis command costs a quarter of the api host's CPU under load (docs/performance.md)
  // and says little the enqueue and consume spans do not: only on request.
  const redisSpans = redisSpansRequested(env);
  // ioredis is imported from ES modules, which are patched only through a loader hook that sees
  // modules loaded after it is registered. The hook costs about a second of start-up and 50 MB
  // (every module load goes through the hooks thread), and nothing else needs it: the api
  // host's server spans come from Fastify hooks, outgoing `node:http` calls are patched on the
  // CommonJS module, calls through fetch are seen on undici's diagnostics channel. So it is
  // registered for Redis spans only. The message channel limits it to the modules the
  // instrumentations ask for.
  const hook = redisSpans ? createAddHookMessageChannel() : undefined;
  if (hook) register('import-in-the-middle/hook.mjs', import.meta.url, hook.registerOptions);

  const [{ HttpInstrumentation }, { UndiciInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  const { IORedisInstrumentation } = redisSpans ? await import('@opentelemetry/instrumentation-ioredis') : {};
  const instrumentations = [
    new HttpInstrumentation({
      // The api host's server spans come from its Fastify hooks (api-host's server-spans.ts),
      // at a fraction of what patching node:http's server costs per request.
      disableIncomingRequestInstrumentation: true,
      // A call made outside any trace (a poller, a probe) is not worth a trace of its own.
      requireParentforOutgoingSpans: true,
    }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
    ...(IORedisInstrumentation
      ? [
          new IORedisInstrumentation({
            requireParentSpan: true,
            // The command name only: BullMQ's scripts carry job payloads in their arguments.
            dbStatementSerializer: (command) => command,
          }),
        ]
      : []),
  ];
  const name = env['OTEL_SERVICE_NAME'] || serviceName;
  const shutdown = tracesOnlySupports(env, traceExporter !== undefined)
    ? await startTracesOnly(name, instrumentations, traceExporter)
    : await startFullSdk(name, env, instrumentations, traceExporter);
  await hook?.waitForAllMessagesAcknowledged();
  patchLoadedHttpModules();
  setActiveTelemetry({ serviceName, shutdown });
}

/**
 * The HTTP instrumentation patches `node:http` and `node:https` when they are next required
 * (require-in-the-middle): the host bins load them before tracing starts (load-with-telemetry.ts),
 * so they are required once more here. The patch replaces functions on the CommonJS exports;
 * syncBuiltinESMExports() carries them over to the modules' ES named exports, which would
 * otherwise keep the functions of their first import.
 */
function patchLoadedHttpModules(): void {
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  syncBuiltinESMExports();
}

async function startFullSdk(
  serviceName: string,
  env: NodeJS.ProcessEnv,
  instrumentations: Instrumentation[],
  traceExporter?: NodeSDKConfiguration['traceExporter'],
): Promise<() => Promise<void>> {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName,
    // Given, it replaces the exporters of OTEL_TRACES_EXPORTER, behind the same batch processor.
    ...(traceExporter ? { traceExporter } : {}),
    // Traces only, unless asked: metrics are Prometheus' job here and logs go to stdout.
    ...(env['OTEL_METRICS_EXPORTER'] ? {} : { metricReaders: [] }),
    ...(env['OTEL_LOGS_EXPORTER'] ? {} : { logRecordProcessors: [] }),
    instrumentations,
  });
  sdk.start();
  return () => sdk.shutdown();
}
