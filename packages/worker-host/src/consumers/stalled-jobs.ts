/**
 * How BullMQ finds jobs whose worker died mid-run. A worker holds a lock on each job it
 * runs and renews it every `lockDurationMs / 2`; a job whose lock has expired is moved
 * back to waiting by the next stalled check of any worker, and failed instead once it
 * has stalled more than `maxStalledCount` times.
 *
 * @example
 * ```ts
 * const settings: StalledJobSettings = { lockDurationMs: 15_000, stalledIntervalMs: 5_000, maxStalledCount: 10 };
 * ```
 */
export interface StalledJobSettings {
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
}

/**
 * The defaults, chosen for workers that may be killed at any moment (deploys, OOM kills,
 * lost machines) and for tasks that are idempotent by design:
 * - 15 s lock: a killed worker's jobs are back in waiting within lock + interval ≤ 20 s,
 *   while a live worker would need its event loop blocked for 15 s to lose a lock;
 * - 5 s stalled check: cheap (one script per queue and worker), and bounds the wait above;
 * - 10 stalls allowed: a job is failed for stalling only when it keeps dying with its
 *   workers (a job that crashes the process), never because a few workers were killed
 *   while it ran; BullMQ's default of 1 would fail a job caught by two kills in a row.
 */
export const DEFAULT_STALLED_JOB_SETTINGS: Readonly<StalledJobSettings> = Object.freeze({
  lockDurationMs: 15_000,
  stalledIntervalMs: 5_000,
  maxStalledCount: 10,
});
