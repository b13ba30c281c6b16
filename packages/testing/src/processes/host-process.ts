import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Which coordinator program to run as a separate process. */
export type HostKind = 'api' | 'worker' | 'fakes';

/**
 * A coordinator program running as its own OS process, started from its built bin.
 *
 * @example
 * ```ts
 * const api = await startHostProcess('api', { env: { REDIS_URL, COORDINATOR_EXTENSIONS, PORT: '0' } });
 * await api.stop();
 * ```
 */
export interface HostProcess {
  readonly kind: HostKind;
  readonly pid: number;
  /** The api's base URL, the worker's health URL, or the fakes' OMS URL. */
  readonly url: string;
  /** Everything the process wrote so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after `killAfterMs`. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | string>;
}

/**
 * Options of {@link startHostProcess}.
 *
 * @example
 * ```ts
 * const options: HostProcessOptions = { env: { REDIS_URL }, cwd: repoRoot };
 * ```
 */
export interface HostProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Where extension packages resolve from (the deployment's directory). */
  cwd?: string;
  readyTimeoutMs?: number;
}

const BINS: Record<HostKind, [pkg: string, bin: string]> = {
  api: ['@coordinator/api-host', 'dist/bin/coordinator-api.js'],
  worker: ['@coordinator/worker-host', 'dist/bin/coordinator-worker.js'],
  fakes: ['@coordinator/testing', 'dist/bin/coordinator-fakes.js'],
};

/**
 * Starts a built host bin with plain `node` and waits until it is ready: the api and the
 * worker answer `/health/ready`, the fakes print their URLs. Ports default to free ones.
 *
 * @example
 * ```ts
 * const worker = await startHostProcess('worker', { env: { REDIS_URL, COORDINATOR_EXTENSIONS } });
 * ```
 */
export async function startHostProcess(kind: HostKind, options: HostProcessOptions): Promise<HostProcess> {
  const [pkg, bin] = BINS[kind];
  const require = createRequire(import.meta.url);
  const script = join(dirname(require.resolve(`${pkg}/package.json`)), bin);
  const port = kind === 'fakes' ? '' : String(await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    ...(kind === 'api' ? { PORT: port, HOST: '127.0.0.1' } : {}),
    ...(kind === 'worker' ? { HEALTH_PORT: port, HOST: '127.0.0.1' } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [script], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  let url: string | undefined;
  let exitedEarly: number | string | undefined;
  void exited.then((code) => (exitedEarly = code));
  while (url === undefined) {
    if (exitedEarly !== undefined) {
      throw new Error(`${kind} exited with ${exitedEarly} before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} was not ready after ${options.readyTimeoutMs ?? 20_000} ms:\n${output}`);
    }
    url =
      kind === 'fakes'
        ? fakesUrl(output)
        : await readyUrl(`http://127.0.0.1:${env[kind === 'api' ? 'PORT' : 'HEALTH_PORT']}`);
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    kind,
    pid: child.pid!,
    url,
    output: () => output,
    exited,
    stop: (signal = 'SIGTERM', killAfterMs = 15_000) => stop(child, exited, signal, killAfterMs),
  };
}

async function stop(
  child: ChildProcess,
  exited: Promise<number | string>,
  signal: NodeJS.Signals,
  killAfterMs: number,
): Promise<number | string> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function readyUrl(base: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(1_000) });
    return response.ok ? base : undefined;
  } catch {
    return undefined;
  }
}

function fakesUrl(output: string): string | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as { oms?: string };
      if (parsed.oms) return parsed.oms;
    } catch {
      // Not the announcement line.
    }
  }
  return undefined;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
