/**
 * How many calls a fake is handling at once, and the most it handled at once since the
 * last reset: a downstream's view of the caller's concurrency, to check a bulkhead or a
 * concurrency limit from the outside.
 *
 * @example
 * ```ts
 * const gauge = new InFlightGauge();
 * const done = gauge.enter();
 * gauge.current; // 1
 * done();
 * gauge.peak; // 1
 * ```
 */
export class InFlightGauge {
  private now = 0;
  private high = 0;

  /** Calls in flight right now. */
  get current(): number {
    return this.now;
  }

  /** The most calls in flight at once since construction or the last {@link InFlightGauge.resetPeak}. */
  get peak(): number {
    return this.high;
  }

  /**
   * Counts one call in; the returned function counts it out (a second call of it does nothing).
   *
   * @example
   * ```ts
   * const leave = gauge.enter();
   * try { await answer(); } finally { leave(); }
   * ```
   */
  enter(): () => void {
    this.now += 1;
    if (this.now > this.high) this.high = this.now;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.now -= 1;
    };
  }

  /**
   * Starts a new high-water mark from the calls in flight now (not from 0: calls still
   * running are part of the next window too).
   *
   * @example
   * ```ts
   * gauge.resetPeak(); // measure one phase of a test on its own
   * ```
   */
  resetPeak(): void {
    this.high = this.now;
  }
}
