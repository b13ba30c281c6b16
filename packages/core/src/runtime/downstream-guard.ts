import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isTaskCancelledError,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type FailureReason,
} from 'cockatiel';
import type { DownstreamDefinition } from '../contract/define-downstream.js';
import { PermanentError } from '../contract/errors.js';
import { JobDeferral, jitteredDelay } from './job-deferral.js';

/**
 * A circuit as logs and metrics show it: `closed` lets calls through, `open` refuses
 * them, `half-open` lets one trial call through whose outcome closes or reopens it.
 *
 * @example
 * ```ts
 * if (guards.state('order-management') === 'open') logger.warn('order management is down');
 * ```
 */
export type BreakerState = 'closed' | 'half-open' | 'open';

/**
 * One change of a downstream's circuit, reported once per change.
 *
 * @example
 * ```ts
 * const change: BreakerStateChange = { downstream: 'order-management', state: 'open', previous: 'closed', cause: 'failures', consecutiveFailures: 5, halfOpenInMs: 10_000 };
 * ```
 */
export interface BreakerStateChange {
  /** The downstream's name. */
  downstream: string;
  /** The state it is in now. */
  state: BreakerState;
  /** The state it left. */
  previous: BreakerState;
  /** Why it opened: a run of failed calls, or a failed half-open trial call. */
  cause?: 'failures' | 'trial-failed';
  /** Failed calls in a row that opened it (`cause: 'failures'`). */
  consecutiveFailures?: number;
  /** When it opened: how long until a trial call may go through. */
  halfOpenInMs?: number;
  /** When it opened: the error of the call that opened it. */
  lastFailure?: string;
}

/**
 * The shortest wait of a job deferred by a downstream's breaker or bulkhead: shorter
 * ones would only find the same circuit.
 *
 * @example
 * ```ts
 * expect(deferral.delayMs).toBeGreaterThanOrEqual(MIN_DOWNSTREAM_DEFERRAL_MS);
 * ```
 */
export const MIN_DOWNSTREAM_DEFERRAL_MS = 1_000;

/** An error that must not count for the breaker; unwrapped before the caller sees it. */
class Uncounted {
  constructor(readonly error: unknown) {}
}

type Outcome<T> = { value: T } | { answered: PermanentError };

/**
 * The bulkhead and circuit breaker (cockatiel's) of one downstream in one process. A
 * call takes a bulkhead slot first (or waits for one), then goes through the breaker;
 * when either refuses, the caller gets a {@link JobDeferral}, never a failure.
 *
 * An error that does not count (the task's signal fired) leaves a closed circuit as it
 * was. During a half-open trial cockatiel closes the circuit on such an error: a trial cut
 * short by a shutdown or a task timeout closes it, and the next failures open it again.
 */
export class DownstreamGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private openedAt = 0;
  private current: BreakerState = 'closed';
  private lastFailure: string | undefined;

  constructor(
    readonly definition: DownstreamDefinition,
    onChange: (change: BreakerStateChange) => void,
    private readonly random: () => number = Math.random,
  ) {
    const { consecutiveFailures, halfOpenAfterMs } = definition.breaker;
    this.breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof Uncounted)),
      { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(consecutiveFailures) },
    );
    this.bulkhead = bulkhead(definition.bulkhead.maxConcurrent, definition.bulkhead.maxQueued);
    this.breaker.onBreak((reason) => {
      this.openedAt = Date.now();
      this.lastFailure = describeFailure(reason);
    });
    this.breaker.onStateChange((raw) => {
      const previous = this.current;
      const state = stateOf(raw);
      if (state === previous) return;
      this.current = state;
      onChange({
        downstream: definition.name,
        state,
        previous,
        ...(state === 'open'
          ? {
              cause: previous === 'half-open' ? 'trial-failed' : 'failures',
              ...(previous === 'half-open' ? {} : { consecutiveFailures }),
              halfOpenInMs: halfOpenAfterMs,
              lastFailure: this.lastFailure,
            }
          : {}),
      });
    });
  }

  get state(): BreakerState {
    return this.current;
  }

  /**
   * The deferral for a job about to start while the circuit is open and no trial call is
   * due yet; `undefined` when the job may run (closed, half-open, or a trial is due).
   */
  deferralBeforeStart(): JobDeferral | undefined {
    return this.current === 'open' && this.untilHalfOpen() > 0 ? this.unavailable() : undefined;
  }

  /** Runs `fn` through the bulkhead, then the breaker; see `TaskContext.call`. */
  async call<T>(signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    try {
      return await untilAborted(
        this.bulkhead.execute(() => this.throughBreaker(signal, fn), signal),
        signal,
      );
    } catch (error) {
      if (error instanceof Uncounted) throw error.error;
      if (isBulkheadRejectedError(error)) throw this.busy();
      if (isBrokenCircuitError(error)) throw this.unavailable();
      if (isTaskCancelledError(error) && signal.aborted) throw signal.reason;
      throw error;
    }
  }

  private async throughBreaker<T>(signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    // cockatiel would hold this call until the trial ends, keeping a bulkhead slot and a
    // worker busy; the job is better off coming back later.
    if (this.breaker.state === CircuitState.HalfOpen) throw this.trialInFlight();
    const outcome = await this.breaker.execute(async (): Promise<Outcome<T>> => {
      try {
        return { value: await fn(signal) };
      } catch (error) {
        // The service answered and blamed the request (a 4xx): it is up.
        if (error instanceof PermanentError) return { answered: error };
        // Cut short by the task's timeout or the worker's shutdown: says nothing of the service.
        if (signal.aborted || error instanceof JobDeferral) throw new Uncounted(error);
        throw error;
      }
    });
    if ('answered' in outcome) throw outcome.answered;
    return outcome.value;
  }

  private untilHalfOpen(): number {
    return this.openedAt + this.definition.breaker.halfOpenAfterMs - Date.now();
  }

  private unavailable(): JobDeferral {
    const wait = Math.max(this.untilHalfOpen(), 0);
    return new JobDeferral(
      'downstream-unavailable',
      this.delay(wait),
      `${this.definition.name} is unavailable: its circuit is open${this.lastFailure ? ` (last failure: ${this.lastFailure})` : ''}; a trial call is due in ${seconds(wait)}`,
    );
  }

  private trialInFlight(): JobDeferral {
    return new JobDeferral(
      'downstream-unavailable',
      this.delay(MIN_DOWNSTREAM_DEFERRAL_MS),
      `${this.definition.name} is being tried: its circuit is half-open and the trial call is in flight`,
    );
  }

  private busy(): JobDeferral {
    const { maxConcurrent, maxQueued } = this.definition.bulkhead;
    return new JobDeferral(
      'downstream-unavailable',
      this.delay(MIN_DOWNSTREAM_DEFERRAL_MS),
      `${this.definition.name} is busy in this worker: ${maxConcurrent} calls in flight and ${maxQueued} waiting`,
    );
  }

  /** At least a second, spread so jobs deferred together do not come back together. */
  private delay(ms: number): number {
    const base = Math.max(ms, MIN_DOWNSTREAM_DEFERRAL_MS);
    return Math.max(MIN_DOWNSTREAM_DEFERRAL_MS, jitteredDelay(base, this.random));
  }
}

function stateOf(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}

function describeFailure(reason: FailureReason<unknown> | { isolated: true }): string | undefined {
  if (!('error' in reason)) return undefined;
  const error = reason.error;
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it fires: a call
 * still waiting for a bulkhead slot must not outlive its task. A call already running
 * keeps its slot until it stops (it has the same signal).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
