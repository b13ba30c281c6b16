/*
 * How much to fuzz, from the environment, so `make test` runs a small seeded run and
 * `make fuzz` a long random one with the same code.
 *
 *   FUZZ_RUNS=10000          cases against the in-process host (default 400)
 *   FUZZ_PROCESS_RUNS=2500   cases against the host as its own OS process (default a quarter, at least 100)
 *   FUZZ_RAW_RUNS=500        malformed HTTP requests written to a socket (default a twentieth, at least 50)
 *   FUZZ_SEED=1234|random    the seed (default fixed, so `make test` is reproducible)
 *   FUZZ_PATH=…              with FUZZ_SEED, replays the counterexample a failure printed
 *   FUZZ_TIME_LIMIT_MS=…     stop generating cases after this long (default 30 ms a case + 30 s)
 *   FUZZ_PROGRESS_EVERY=1000 a progress line every so many requests
 *   FUZZ_COLLECT=1           keep going after a failure and list one example of each kind (exploring)
 */

/** The fixed seed of `make test`'s run. */
export const DEFAULT_SEED = 20_261_128;

export interface FuzzSettings {
  runs: number;
  processRuns: number;
  rawRuns: number;
  seed: number;
  path: string | undefined;
  timeLimitMs: number;
  progressEvery: number;
  collect: boolean;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return value;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const runs = positiveInt(env, 'FUZZ_RUNS', 400);
  const seedText = env.FUZZ_SEED;
  const seed =
    seedText === undefined || seedText === ''
      ? DEFAULT_SEED
      : seedText === 'random'
        ? Math.floor(Math.random() * 2 ** 31)
        : positiveInt(env, 'FUZZ_SEED', DEFAULT_SEED);
  return {
    runs,
    processRuns: positiveInt(env, 'FUZZ_PROCESS_RUNS', Math.max(100, Math.round(runs / 4))),
    rawRuns: positiveInt(env, 'FUZZ_RAW_RUNS', Math.max(50, Math.round(runs / 20))),
    seed,
    path: env.FUZZ_PATH || undefined,
    timeLimitMs: positiveInt(env, 'FUZZ_TIME_LIMIT_MS', runs * 30 + 30_000),
    progressEvery: Math.max(1, positiveInt(env, 'FUZZ_PROGRESS_EVERY', 1_000)),
    collect: env.FUZZ_COLLECT === '1' || env.FUZZ_COLLECT === 'true',
  };
}
