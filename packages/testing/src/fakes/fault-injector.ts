/**
 * What a fake downstream service should do wrong. Every field is optional; an empty
 * plan means every call passes. Shared by all fakes so chaos tests drive them alike.
 *
 * @example
 * ```ts
 * const plan: FaultPlan = { latencyMs: 200, failureRate: 0.1 };
 * ```
 */
export interface FaultPlan {
  /** Delay before the fake answers (or fails, or resets) each call. */
  latencyMs?: number;
  /** Share of calls (0..1) answered with {@link FaultPlan.failStatus}. */
  failureRate?: number;
  /** Status used for failed calls; 503 when unset. */
  failStatus?: number;
  /** Share of calls (0..1) whose socket is destroyed without an answer. */
  resetRate?: number;
  /** Epoch ms: every call until then has its socket destroyed, as if the service were down. */
  downUntil?: number;
  /** The next N calls fail with {@link FaultPlan.failStatus}, whatever the rates say. */
  failNext?: number;
}

/**
 * What one call gets: answered normally, answered with the fail status, or cut off.
 *
 * @example
 * ```ts
 * const verdict: FaultDecision = await faults.decide();
 * if (verdict === 'reset') socket.destroy();
 * ```
 */
export type FaultDecision = 'pass' | 'fail' | 'reset';

/**
 * Construction options for {@link FaultInjector}; inject `random` and `now` to make
 * fault decisions deterministic in tests.
 *
 * @example
 * ```ts
 * let clock = Date.now();
 * const faults = new FaultInjector({ random: () => 0.5, now: () => clock });
 * ```
 */
export interface FaultInjectorOptions {
  /** Source of uniform numbers in [0, 1); defaults to `Math.random`. */
  random?: () => number;
  /** Clock in epoch ms, compared with `downUntil`; defaults to `Date.now`. */
  now?: () => number;
  /** Plan to start with. */
  plan?: Partial<FaultPlan>;
}

/**
 * Thrown by {@link FaultInjector.set} for a plan value outside its range, naming the
 * field so the `/__faults` endpoint can say which one was wrong.
 *
 * @example
 * ```ts
 * try { faults.set({ failureRate: 2 }); }
 * catch (err) { if (err instanceof InvalidFaultPlanError) console.log(err.field); } // 'failureRate'
 * ```
 */
export class InvalidFaultPlanError extends RangeError {
  constructor(
    readonly field: keyof FaultPlan,
    message: string,
  ) {
    super(`${field} ${message}`);
    this.name = 'InvalidFaultPlanError';
  }
}

const DEFAULT_FAIL_STATUS = 503;

interface PendingDelay {
  timer: NodeJS.Timeout;
  finish: (aborted: boolean) => void;
}

/**
 * Decides, call by call, whether a fake service answers, fails or drops the connection,
 * and how long it stalls first.
 *
 * Order of precedence for one call: `downUntil` (reset at once, no latency), then
 * `failNext`, then `resetRate`, then `failureRate`. A random number is drawn only for a
 * rate that is set and above 0, so a test that injects `random` knows which draw
 * decides what.
 *
 * @example
 * ```ts
 * const faults = new FaultInjector({ random: () => 0 });
 * faults.set({ failNext: 1 });
 * await faults.decide(); // 'fail'
 * await faults.decide(); // 'pass'
 * ```
 */
export class FaultInjector {
  private readonly random: () => number;
  private readonly now: () => number;
  private current: FaultPlan = {};
  private readonly delays = new Set<PendingDelay>();

  constructor(options: FaultInjectorOptions = {}) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    if (options.plan) this.set(options.plan);
  }

  /**
   * A copy of the plan in force; fields that were never set or were cleared are absent.
   *
   * @example
   * ```ts
   * faults.set({ latencyMs: 50 });
   * faults.plan; // { latencyMs: 50 }
   * ```
   */
  get plan(): FaultPlan {
    return { ...this.current };
  }

  /**
   * The status a failed call is answered with.
   *
   * @example
   * ```ts
   * faults.set({ failStatus: 500 });
   * faults.failStatus; // 500
   * ```
   */
  get failStatus(): number {
    return this.current.failStatus ?? DEFAULT_FAIL_STATUS;
  }

  /**
   * How many calls are stalled in injected latency right now. Lets a test know a call
   * has reached the fake and is waiting, without measuring time.
   *
   * @example
   * ```ts
   * faults.set({ latencyMs: 1000 });
   * const pending = fetch(url);
   * // ...once the request reaches the fake:
   * faults.pending; // 1
   * ```
   */
  get pending(): number {
    return this.delays.size;
  }

  /**
   * Merges `plan` into the plan in force; a field given as `undefined` is cleared.
   * Values are checked before anything changes, so a bad plan leaves the old one intact.
   *
   * @throws {@link InvalidFaultPlanError} when a value is out of range.
   * @example
   * ```ts
   * faults.set({ failureRate: 0.2, latencyMs: 100 });
   * faults.set({ latencyMs: undefined }); // keeps failureRate
   * ```
   */
  set(plan: Partial<FaultPlan>): void {
    validate(plan);
    const next: FaultPlan = { ...this.current, ...plan };
    for (const key of Object.keys(next) as (keyof FaultPlan)[]) {
      if (next[key] === undefined) delete next[key];
    }
    if (next.failNext === 0) delete next.failNext;
    this.current = next;
  }

  /**
   * Clears every fault. Calls already stalled in latency keep waiting; only later
   * calls see the empty plan.
   *
   * @example
   * ```ts
   * afterEach(() => faults.reset());
   * ```
   */
  reset(): void {
    this.current = {};
  }

  /**
   * Makes the service look down for the next `ms` milliseconds of the injected clock.
   *
   * @example
   * ```ts
   * faults.downFor(2_000); // connections are cut for two seconds
   * ```
   */
  downFor(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new InvalidFaultPlanError('downUntil', 'needs a duration of 0 ms or more');
    this.set({ downUntil: this.now() + ms });
  }

  /**
   * Decides the fate of one call and applies the latency. The verdict is fixed when
   * the call arrives, so `failNext` and random draws follow arrival order even when
   * latency makes answers overlap.
   *
   * @param options.signal aborting it ends the latency early with `'reset'`; the fake
   *   aborts it on close so no timer outlives the server.
   * @example
   * ```ts
   * const verdict = await faults.decide({ signal: closing.signal });
   * ```
   */
  async decide(options: { signal?: AbortSignal } = {}): Promise<FaultDecision> {
    const plan = this.current;
    if (plan.downUntil !== undefined) {
      if (this.now() < plan.downUntil) return 'reset';
      // Expired outages are dropped so `plan` shows what still has an effect.
      this.set({ downUntil: undefined });
    }

    let verdict: FaultDecision = 'pass';
    if (plan.failNext) {
      this.set({ failNext: plan.failNext - 1 });
      verdict = 'fail';
    } else if (plan.resetRate && this.random() < plan.resetRate) {
      verdict = 'reset';
    } else if (plan.failureRate && this.random() < plan.failureRate) {
      verdict = 'fail';
    }

    if (plan.latencyMs) {
      const aborted = await this.stall(plan.latencyMs, options.signal);
      if (aborted) return 'reset';
    }
    return verdict;
  }

  /** Resolves true when the wait was cut short by the signal. */
  private stall(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = (): void => pending.finish(true);
      const pending: PendingDelay = {
        // unref'd so a forgotten stalled call never keeps a test process alive.
        timer: setTimeout(() => pending.finish(false), ms).unref(),
        finish: (aborted) => {
          clearTimeout(pending.timer);
          signal?.removeEventListener('abort', onAbort);
          this.delays.delete(pending);
          resolve(aborted);
        },
      };
      this.delays.add(pending);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const RATE_FIELDS = ['failureRate', 'resetRate'] as const;

function validate(plan: Partial<FaultPlan>): void {
  const check = (field: keyof FaultPlan, ok: (value: number) => boolean, message: string): void => {
    const value = plan[field];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
      throw new InvalidFaultPlanError(field, message);
    }
  };
  check('latencyMs', (v) => v >= 0, 'must be a number of milliseconds, 0 or more');
  for (const field of RATE_FIELDS) check(field, (v) => v >= 0 && v <= 1, 'must be a share between 0 and 1');
  check('failStatus', (v) => Number.isInteger(v) && v >= 400 && v <= 599, 'must be an HTTP error status (400-599)');
  check('failNext', (v) => Number.isInteger(v) && v >= 0, 'must be a whole number, 0 or more');
  check('downUntil', () => true, 'must be an epoch time in milliseconds');
}
