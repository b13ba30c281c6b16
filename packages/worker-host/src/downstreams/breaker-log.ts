import type { BreakerStateChange, DownstreamGuards } from '@coordinator/core/runtime';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Logs every change of the worker host's circuits once, as it happens: a warning when
 * one opens (why, and when it will try again), a line when it lets a trial call through
 * and when it closes.
 */
export class BreakerLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Downstreams');
  private stop: (() => void) | undefined;

  constructor(private readonly guards: DownstreamGuards) {}

  onApplicationBootstrap(): void {
    this.stop ??= this.guards.watch((change) => this.log(change));
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = undefined;
  }

  private log(change: BreakerStateChange): void {
    const circuit = `circuit ${change.downstream}`;
    if (change.state === 'open') {
      const why =
        change.cause === 'trial-failed'
          ? 'opened again: the trial call failed'
          : `opened after ${change.consecutiveFailures} consecutive failures`;
      const halfOpen = change.halfOpenInMs === undefined ? '' : `; half-open in ${seconds(change.halfOpenInMs)}`;
      this.logger.warn(`${circuit} ${why}${halfOpen}${change.lastFailure ? ` (last: ${change.lastFailure})` : ''}`);
    } else if (change.state === 'half-open') {
      this.logger.log(`${circuit} half-open: letting one trial call through`);
    } else {
      this.logger.log(`${circuit} closed: calls go through again`);
    }
  }
}

/** `10 s`, `1.5 s`: whole seconds without decimals. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
