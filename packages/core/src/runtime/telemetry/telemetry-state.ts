/** What {@link startTelemetry} leaves behind for the hosts. */
export interface ActiveTelemetry {
  readonly serviceName: string;
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

// On globalThis, so that a second copy of this module (another path to the same package) sees it too.
const ACTIVE = Symbol.for('@coordinator/core/telemetry');
type Holder = { [ACTIVE]?: ActiveTelemetry };

/** The running OpenTelemetry SDK started by {@link startTelemetry}, if any. */
export function activeTelemetry(): ActiveTelemetry | undefined {
  return (globalThis as Holder)[ACTIVE];
}

export function setActiveTelemetry(telemetry: ActiveTelemetry | undefined): void {
  (globalThis as Holder)[ACTIVE] = telemetry;
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
