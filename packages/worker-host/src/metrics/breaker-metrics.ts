import { METRICS_PREFIX, type BreakerState, type DownstreamGuards } from '@coordinator/core/runtime';
import { Gauge, type Registry } from 'prom-client';

/**
 * The gauge's value per state: higher is worse, so `max` over hosts shows the worst.
 *
 * @example
 * ```ts
 * BREAKER_STATE_VALUES[guards.state('order-management')]; // 2 while open
 * ```
 */
export const BREAKER_STATE_VALUES: Readonly<Record<BreakerState, number>> = Object.freeze({
  closed: 0,
  'half-open': 1,
  open: 2,
});

/**
 * `coordinator_breaker_state{downstream}`: this worker host's circuit of each downstream
 * its served tasks call, 0 closed, 1 half-open, 2 open. Every one of them has a 0 sample
 * from startup, so an alert on `== 2` has a series to watch before the first failure.
 *
 * @example
 * ```ts
 * const breakers = new BreakerMetrics(register, ['order-management']);
 * breakers.watch(guards);
 * ```
 */
export class BreakerMetrics {
  private readonly state: Gauge<'downstream'>;

  constructor(register: Registry, downstreams: readonly string[] = []) {
    this.state = new Gauge({
      name: `${METRICS_PREFIX}breaker_state`,
      help: 'Circuit breaker state per downstream in this worker host: 0 closed, 1 half-open, 2 open',
      labelNames: ['downstream'],
      registers: [register],
    });
    for (const downstream of downstreams) this.state.set({ downstream }, BREAKER_STATE_VALUES.closed);
  }

  /** Follows every change of the guards' circuits; returns a function that stops following. */
  watch(guards: DownstreamGuards): () => void {
    return guards.watch((change) =>
      this.state.set({ downstream: change.downstream }, BREAKER_STATE_VALUES[change.state]),
    );
  }
}
