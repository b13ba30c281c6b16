/*
 * Tracing without @opentelemetry/sdk-node, for the configurations most deployments use: traces
 * over OTLP/HTTP (or to the console, or to a given exporter), W3C propagation. NodeSDK imports
 * every exporter it knows, the metrics and logs SDKs and a YAML parser whatever it is asked
 * for: about 170 modules, 9 MB and 0.1 s of each host's start. This sets up what NodeSDK would
 * for those configurations, from the same variables and with the same OpenTelemetry packages;
 * every other configuration still goes to NodeSDK (see tracesOnlySupports).
 */
import { context, diag, DiagConsoleLogger, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  diagLogLevelFromString,
  getNumberFromEnv,
  getStringFromEnv,
  getStringListFromEnv,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

const PROPAGATORS = new Map<string, () => TextMapPropagator>([
  ['tracecontext', () => new W3CTraceContextPropagator()],
  ['baggage', () => new W3CBaggagePropagator()],
]);
const EXPORTERS = new Set(['otlp', 'console']);
const OTLP_PROTOCOLS = new Set(['http/protobuf', 'http/json']);

/**
 * Whether {@link startTracesOnly} can stand in for NodeSDK under this environment: no metrics
 * or logs export, traces to OTLP over HTTP or to the console (or to the exporter given in
 * code), the W3C propagators, the default resource detectors. gRPC, Zipkin, B3 or Jaeger
 * propagation, detectors chosen by name: NodeSDK.
 */
export function tracesOnlySupports(env: NodeJS.ProcessEnv, exporterGiven: boolean): boolean {
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (list('OTEL_METRICS_EXPORTER').length > 0 || list('OTEL_LOGS_EXPORTER').length > 0) return false;
  if (list('OTEL_NODE_RESOURCE_DETECTORS').length > 0) return false;
  if (!list('OTEL_PROPAGATORS').every((name) => name === 'none' || PROPAGATORS.has(name))) return false;
  if (exporterGiven) return true;
  if (!list('OTEL_TRACES_EXPORTER').every((name) => name === 'none' || name === 'null' || EXPORTERS.has(name))) {
    return false;
  }
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']?.trim() || env['OTEL_EXPORTER_OTLP_PROTOCOL']?.trim();
  return protocol === undefined || OTLP_PROTOCOLS.has(protocol);
}

/**
 * Starts tracing as NodeSDK would under a configuration {@link tracesOnlySupports}: instrumentations,
 * the AsyncLocalStorage context manager, propagators (`OTEL_PROPAGATORS`), the resource (env,
 * process and host detectors, then the service name), a tracer provider with the sampler and
 * span limits of `OTEL_TRACES_SAMPLER*` and `OTEL_*_LIMIT`, and a batch processor (`OTEL_BSP_*`)
 * per exporter. Returns the provider's shutdown, which flushes pending spans.
 */
export async function startTracesOnly(
  serviceName: string,
  instrumentations: Instrumentation[],
  traceExporter: SpanExporter | undefined,
): Promise<() => Promise<void>> {
  const logLevel = getStringFromEnv('OTEL_LOG_LEVEL');
  if (logLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(logLevel) });

  registerInstrumentations({ instrumentations });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  const propagator = propagatorFromEnv();
  if (propagator) propagation.setGlobalPropagator(propagator);

  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }))
    .merge(resourceFromAttributes({ 'service.name': serviceName }));
  const spanProcessors = traceExporter ? [batchProcessor(traceExporter)] : await processorsFromEnv();
  if (spanProcessors.length === 0) return async () => {};
  const provider = new TracerProvider({
    resource,
    sampler: samplerFromEnv(),
    spanLimits: spanLimitsFromEnv(),
    spanProcessors,
  });
  trace.setGlobalTracerProvider(provider);
  return () => provider.shutdown();
}

/** `OTEL_PROPAGATORS`: unset means tracecontext and baggage, `none` none at all. */
function propagatorFromEnv(): TextMapPropagator | undefined {
  const names = [...new Set(getStringListFromEnv('OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'])];
  if (names.includes('none')) return undefined;
  const propagators = names.map((name) => PROPAGATORS.get(name)!());
  return propagators.length === 1 ? propagators[0] : new CompositePropagator({ propagators });
}

/** `OTEL_TRACES_EXPORTER`, read as NodeSDK does: default `otlp`; `none` first means none, later means `otlp`. */
async function processorsFromEnv(): Promise<SpanProcessor[]> {
  let names = [...new Set(getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [])].filter((name) => name !== 'null');
  if (names[0] === 'none') return [];
  if (names.length === 0 || names.includes('none')) names = ['otlp'];
  const processors: SpanProcessor[] = [];
  for (const name of names) {
    if (name === 'console') processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    else processors.push(batchProcessor(await otlpExporter()));
  }
  return processors;
}

/** The OTLP exporter of the configured protocol, each loaded only when used. */
async function otlpExporter(): Promise<SpanExporter> {
  const protocol =
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  const { OTLPTraceExporter } =
    protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter();
}

function batchProcessor(exporter: SpanExporter): BatchSpanProcessor {
  return new BatchSpanProcessor({
    exporter,
    maxQueueSize: nonNegative('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: nonNegative('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: nonNegative('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: nonNegative('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}

function samplerFromEnv(): Sampler | undefined {
  const ratio = () => {
    const value = getNumberFromEnv('OTEL_TRACES_SAMPLER_ARG');
    if (value === undefined || value < 0 || value > 1) {
      diag.error(`OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1; using 1.`);
      return 1;
    }
    return value;
  };
  switch (getStringFromEnv('OTEL_TRACES_SAMPLER')) {
    case undefined:
      return undefined; // the provider's default: parent-based, always on
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      diag.error(`unknown OTEL_TRACES_SAMPLER value "${getStringFromEnv('OTEL_TRACES_SAMPLER')}", using default`);
      return undefined;
  }
}

function spanLimitsFromEnv() {
  return {
    attributeCountLimit:
      getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit:
      getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ??
      getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: getNumberFromEnv('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: getNumberFromEnv('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT'),
    attributePerLinkCountLimit: getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT'),
  };
}

function nonNegative(name: string): number | undefined {
  const value = getNumberFromEnv(name);
  if (value === undefined || value >= 0) return value;
  diag.warn(`${name} must not be negative; using the default.`);
  return undefined;
}
