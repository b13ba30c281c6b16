/**
 * What a pipeline step returns: a part of the result to merge into the accumulated
 * state, and whether the run goes on. Build it with {@link proceed} or {@link halt}.
 *
 * @example
 * ```ts
 * const outcome: StepOutcome<Receipt> = proceed({ paymentIntentId: 'pi_1' });
 * outcome.action; // 'proceed'
 * ```
 */
export interface StepOutcome<R extends object> {
  /** `proceed` runs the next step; `halt` ends the run with the result so far. */
  readonly action: 'proceed' | 'halt';
  /** Merged (shallowly, later steps winning) into the accumulated result. */
  readonly partial: Partial<R>;
}

/**
 * Merges `partial` into the result and runs the next step (or ends the run after the last).
 *
 * @example
 * ```ts
 * return proceed({ paymentIntentId: intent.id });
 * ```
 */
export function proceed<R extends object>(partial: Partial<R> = {}): StepOutcome<R> {
  return Object.freeze({ action: 'proceed' as const, partial });
}

/**
 * Merges `partial` into the result and ends the run here; the remaining steps do not run
 * and the result names this step in `haltedBy`.
 *
 * @example
 * ```ts
 * if (!intent) return halt({ status: 'unknown' });
 * ```
 */
export function halt<R extends object>(partial: Partial<R> = {}): StepOutcome<R> {
  return Object.freeze({ action: 'halt' as const, partial });
}
