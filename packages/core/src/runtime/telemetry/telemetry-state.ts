import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** What {@link startTelemetry} leaves behind for the hosts. */
export interface ActiveTelemetry {
  readonly serviceName: string;
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

// On globalThis, so that a second copy of this module (another path to the same package) sees it too.
const ACTIVE = Symbol.for('@coordinator/core/telemetry');
const PROVIDED_EXPORTER = Symbol.for('@coordinator/core/telemetry.exporter');
type Holder = { [ACTIVE]?: ActiveTelemetry; [PROVIDED_EXPORTER]?: SpanExporter };

/** The running OpenTelemetry SDK started by {@link startTelemetry}, if any. */
export function activeTelemetry(): ActiveTelemetry | undefined {
  return (globalThis as Holder)[ACTIVE];
}

export function setActiveTelemetry(telemetry: ActiveTelemetry | undefined): void {
  (globalThis as Holder)[ACTIVE] = telemetry;
}

/**
 * The span exporter {@link startTelemetry} uses when it is given none, in place of the exporters
 * `OTEL_TRACES_EXPORTER` names (as its `traceExporter` option). For a program that runs a host
 * bin in its own process with an exporter of its own: it provides the exporter, then imports
 * the bin, which still starts tracing once its modules are loaded (`loadWithTelemetry()`).
 * `undefined` takes it back.
 *
 * @example
 * ```ts
 * provideTraceExporter(new VendorSpanExporter());
 * await import('@coordinator/api-host/dist/bin/coordinator-api.js');
 * ```
 */
export function provideTraceExporter(exporter: SpanExporter | undefined): void {
  (globalThis as Holder)[PROVIDED_EXPORTER] = exporter;
}

/** What {@link provideTraceExporter} left, if anything. */
export function providedTraceExporter(): SpanExporter | undefined {
  return (globalThis as Holder)[PROVIDED_EXPORTER];
}

/**
 * Flushes pending spans and stops the SDK, waiting at most `timeoutMs`; does nothing
 * when tracing is off. The hosts call it last when they close.
 *
 * @example
 * ```ts
 * await host.close();
 * await shutdownTelemetry();
 * ```
 */
export async function shutdownTelemetry(timeoutMs = 5_000): Promise<void> {
  const telemetry = activeTelemetry();
  if (!telemetry) return;
  setActiveTelemetry(undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    telemetry.shutdown().catch((error: unknown) => {
      process.stderr.write(`telemetry: shutdown failed: ${(error as Error).message}\n`);
    }),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
