/** Options of {@link eventually}. */
export interface EventuallyOptions<T> {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between reads (default 50 ms). */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
  /** What of the last value the error message shows (default: all of it, as JSON). */
  show?: (value: T) => unknown;
}

/**
 * Polls `read` every `intervalMs` until `done` holds and returns that value, or fails with
 * the last value seen: for what a test can only observe from outside (a circuit opening, a
 * job reaching a state, a fake receiving a call).
 *
 * @example
 * ```ts
 * await eventually(() => oms.calls().length, (n) => n >= 3, { what: 'three OMS calls' });
 * ```
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  {
    timeoutMs = 15_000,
    intervalMs = 50,
    what = 'condition',
    show = (value: T): unknown => value,
  }: EventuallyOptions<T> = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `${what} not reached within ${timeoutMs} ms; last value: ${JSON.stringify(show(last as T))?.slice(0, 3_000)}`,
  );
}
