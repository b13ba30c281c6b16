/*
 * Progress lines on stderr, written directly (not through jest's console), so a long run
 * shows where it is as it goes: scenario starts, and every few seconds what it counted.
 */
const began = Date.now();

/** Prints one line, stamped with the time since the suite began. */
export function progress(line: string): void {
  const seconds = ((Date.now() - began) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[chaos +${seconds}s] ${line}\n`);
}

/** Prints `line()` every `everyMs` until the returned function is called. */
export function ticker(everyMs: number, line: () => string): () => void {
  const timer = setInterval(() => progress(line()), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
