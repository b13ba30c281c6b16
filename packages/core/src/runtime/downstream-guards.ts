import type { DownstreamDefinition } from '../contract/define-downstream.js';
import { DownstreamGuard, type BreakerState, type BreakerStateChange } from './downstream-guard.js';
import type { JobDeferral } from './job-deferral.js';

/**
 * Hears every change of every circuit of a {@link DownstreamGuards}.
 *
 * @example
 * ```ts
 * const listener: BreakerStateListener = (change) => logger.warn(`circuit ${change.downstream} ${change.state}`);
 * ```
 */
export type BreakerStateListener = (change: BreakerStateChange) => void;

/**
 * The circuit breakers and bulkheads of one host process, one pair per downstream
 * name, made from its definition the first time a task needs it. The worker host makes
 * one and hands it to its `TaskExecutor`: every job of the process that calls a
 * downstream shares that downstream's breaker and bulkhead.
 *
 * @example
 * ```ts
 * const guards = new DownstreamGuards();
 * guards.watch((change) => logger.warn(`circuit ${change.downstream} ${change.state}`));
 * const executor = new TaskExecutor(registry, resolve, dispatcher, { guards });
 * ```
 */
export class DownstreamGuards {
  private readonly guards = new Map<string, DownstreamGuard>();
  private readonly listeners = new Set<BreakerStateListener>();

  /**
   * Runs `fn` through the downstream's bulkhead and breaker, as `TaskContext.call` does:
   * throws a `JobDeferral` when they refuse the call.
   *
   * @example
   * ```ts
   * const order = await guards.call(orderManagement, ctx.signal, (signal) => oms.read(id, signal));
   * ```
   */
  call<T>(downstream: DownstreamDefinition, signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.guardOf(downstream).call(signal, fn);
  }

  /**
   * The deferral for a job that needs these downstreams when one of their circuits is open
   * and no trial call is due yet; `undefined` when the job may start.
   *
   * @example
   * ```ts
   * const deferral = guards.deferralBeforeStart(task.downstreams);
   * if (deferral) throw deferral;
   * ```
   */
  deferralBeforeStart(downstreams: readonly DownstreamDefinition[]): JobDeferral | undefined {
    for (const downstream of downstreams) {
      const deferral = this.guards.get(downstream.name)?.deferralBeforeStart();
      if (deferral) return deferral;
    }
    return undefined;
  }

  /**
   * The state of a downstream's circuit; `closed` for one no task has called yet.
   *
   * @example
   * ```ts
   * guards.state('order-management'); // 'open'
   * ```
   */
  state(downstream: string): BreakerState {
    return this.guards.get(downstream)?.state ?? 'closed';
  }

  /**
   * Calls `listener` on every change of any circuit, once per change.
   *
   * @returns a function that stops listening
   * @example
   * ```ts
   * const stop = guards.watch((change) => gauge.set({ downstream: change.downstream }, levels[change.state]));
   * ```
   */
  watch(listener: BreakerStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private guardOf(downstream: DownstreamDefinition): DownstreamGuard {
    let guard = this.guards.get(downstream.name);
    if (!guard) {
      guard = new DownstreamGuard(downstream, (change) => this.report(change));
      this.guards.set(downstream.name, guard);
    }
    return guard;
  }

  private report(change: BreakerStateChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's bug (a log sink, a metric) must never fail the call that changed the state.
      }
    }
  }
}
