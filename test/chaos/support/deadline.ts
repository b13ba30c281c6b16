/*
 * Every scenario runs against a hard deadline: when it passes, the scenario's abort signal
 * fires (its load and fault loops stop) and the run fails with what was counted so far,
 * instead of hanging until jest's timeout with processes still running.
 */
import { setMaxListeners } from 'node:events';

/** Thrown when a scenario outlives its deadline. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * Runs `work` with an abort signal that fires after `ms`; rejects with
 * {@link DeadlineExceeded} then, even if `work` ignores the signal.
 */
export async function withDeadline<T>(
  label: string,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  // Every wait of the scenario (hundreds of retry pauses of the load) listens on it.
  setMaxListeners(0, controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceeded(`${label}: hard deadline of ${Math.round(ms / 1000)} s passed`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
    // Whatever is still running for this scenario stops now.
    if (!controller.signal.aborted) controller.abort(new Error(`${label}: finished`));
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Polls `read` every `intervalMs` until `done` holds (true), or until `timeoutMs` passed or
 * the signal aborted (false). Unlike the e2e `eventually`, running out is an outcome the
 * checker reports, not an exception.
 */
export async function waitFor(
  read: () => Promise<boolean> | boolean,
  { timeoutMs, intervalMs = 500, signal }: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await read()) return true;
    if (Date.now() >= deadline || signal?.aborted) return false;
    await pause(Math.min(intervalMs, Math.max(0, deadline - Date.now())), signal);
  }
}
