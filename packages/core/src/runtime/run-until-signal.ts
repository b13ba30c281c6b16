import { Logger } from '@nestjs/common';

/**
 * Starts a host, and on SIGTERM or SIGINT closes it within its grace period. A start
 * failure (bad setting, bad extension) prints its message alone and exits 1, so the
 * operator reads the culprit instead of a stack trace.
 */
export async function runUntilSignal<H extends { close(): Promise<void> }>(
  name: string,
  start: () => Promise<H>,
  graceMs: (host: H) => number,
): Promise<void> {
  const logger = new Logger(name);
  let host: H | undefined;
  let requested: NodeJS.Signals | undefined;
  // Listen before starting: a host may report ready (health server up) before start()
  // resolves, and a signal in that window must shut it down, not kill it.
  const onSignal = (signal: NodeJS.Signals) => (host ? stop(host, signal) : (requested = signal));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    host = await start();
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  if (requested) stop(host, requested);

  function stop(host: H, signal: NodeJS.Signals): void {
    logger.log(`${signal} received: shutting down (grace ${graceMs(host)} ms)`);
    // close() lets in-flight work finish; the grace period bounds how long that may take.
    setTimeout(() => {
      logger.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, graceMs(host)).unref();
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  }
}
