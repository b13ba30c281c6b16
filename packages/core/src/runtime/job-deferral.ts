/**
 * Why a job was put back instead of run:
 * - `downstream-unavailable`: a circuit breaker of a downstream the task needs is open;
 * - `schema-ahead`: the job was written against a newer schema (or extension version)
 *   than this worker knows, during a rolling deploy; a newer worker will take it.
 */
export type DeferralReason = 'downstream-unavailable' | 'schema-ahead';

/**
 * Thrown by the {@link TaskExecutor} when a job should wait and come back later without
 * spending an attempt: the worker moves it back to the delayed set (BullMQ
 * `moveToDelayed` with the attempt skipped), the inline transport re-runs it after the
 * delay. Never a failure: nothing reaches the dead letters because of it.
 */
export class JobDeferral extends Error {
  override readonly name = 'JobDeferral';

  constructor(
    readonly reason: DeferralReason,
    /** How long the job waits before it may run again. */
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
  }
}

/** Spreads `delayMs` over ±20% so jobs deferred together do not all come back together. */
export function jitteredDelay(delayMs: number, random: () => number = Math.random): number {
  return Math.max(1, Math.round(delayMs * (0.8 + 0.4 * random())));
}
