/**
 * Where the CLI writes: progress and results to `out`, problems to `err`, one line per call.
 * `cwd` is where extensions resolve from and `env` the configuration (the process's own by default).
 *
 * @example
 * ```ts
 * const io: CliIo = { out: (line) => lines.push(line), err: (line) => errors.push(line), cwd: '/tmp' };
 * ```
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** A problem with the command line: reported with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An environment variable is missing or invalid (a `SettingsError`'s message): exit code 2. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Redis did not answer: one line naming `REDIS_URL`, exit code 2. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** Runs a `parseArgs` call, turning its complaints into {@link UsageError}s. */
export function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--limit` and friends: a whole number of at least 1. */
export function positiveInteger(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value))
    throw new UsageError(`${option} must be a whole number of at least 1 (got "${value}")`);
  return Number(value);
}

const QUEUE_NAME = /^[a-z][a-z0-9-]*$/;

/** `--queue`: a queue name as the registry and `COORDINATOR_WIRING` spell them. */
export function queueOption(value: string | undefined): string | undefined {
  if (value !== undefined && !QUEUE_NAME.test(value)) {
    throw new UsageError(`--queue must be a queue name of lower-case letters, digits and dashes (got "${value}")`);
  }
  return value;
}

/** Prints a value as indented JSON, for `--json`. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
