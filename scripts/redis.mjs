#!/usr/bin/env node
// Ephemeral Redis for tests and the demo: one private `redis-server` on a free port,
// configured like production (AOF everysec, noeviction) so BullMQ behaves as it will there.
//
//   import { startRedis } from './redis.mjs';   const redis = await startRedis(); ... await redis.stop();
//   await redis.down('SIGKILL'); ... await redis.up();   # an outage: same port, same AOF dir (chaos tests)
//   node scripts/redis.mjs run -- <command...>    # REDIS_URL set for the command, Redis stopped after it
//
// Only node builtins: this runs before `pnpm install` may have happened.
import { spawn } from 'node:child_process';
import console from 'node:console';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const NOT_INSTALLED = 'redis-server is not installed: run `sudo apt-get install -y redis-server` or set REDIS_URL';
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_BYTES = 8_192;

const log = (message) => process.stderr.write(`redis: ${message}\n`);

function findRedisServer() {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'redis-server');
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Runs a command with its output on our stderr (stdout stays clean for the caller); resolves to the exit code. */
function runQuiet(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function ensureRedisServer() {
  const found = findRedisServer();
  if (found) return found;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) throw new Error(NOT_INSTALLED);

  log('redis-server not found; installing the Debian package (apt-get install -y redis-server)');
  let code = await runQuiet('apt-get', ['install', '-y', 'redis-server']);
  if (code !== 0) {
    // Fresh machines and containers often have empty package lists.
    log('apt-get install failed; running apt-get update and retrying');
    await runQuiet('apt-get', ['update']);
    code = await runQuiet('apt-get', ['install', '-y', 'redis-server']);
  }
  const installed = findRedisServer();
  if (code !== 0) {
    throw new Error(`installing redis-server with apt-get failed (exit ${code}): install it yourself or set REDIS_URL`);
  }
  if (!installed)
    throw new Error('apt-get installed redis-server but no redis-server binary is on PATH, /usr/sbin or /usr/bin');
  log(`installed ${installed}`);
  return installed;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One `PING` over a raw socket; true only for `+PONG` (a loading or refusing server is not ready). */
function ping(port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('end', () => done(false));
  });
}

/**
 * Starts a private redis-server on 127.0.0.1 and a free port (or `port`), and resolves once it answers PING.
 * `dir` holds the AOF; without it a fresh temp dir is created and removed again by `stop()`.
 *
 * The handle can also take the server down and bring it back on the same port with the same data dir,
 * as an operator's restart would: `down(signal)` stops the process and keeps the AOF, `up()` starts a new
 * process that replays it, `restart({ downMs })` does both. Clients keep the same URL throughout.
 *
 * @param {{ dir?: string, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, readonly pid: number | undefined, dir: string, readonly running: boolean,
 *   stop(): Promise<void>, down(signal?: NodeJS.Signals): Promise<void>, up(): Promise<void>,
 *   restart(options?: { downMs?: number, signal?: NodeJS.Signals }): Promise<void> }>}
 */
export async function startRedis({ dir, port: fixedPort } = {}) {
  const binary = await ensureRedisServer();
  const ownDir = dir === undefined;
  const dataDir = ownDir ? mkdtempSync(path.join(tmpdir(), 'coordinator-redis-')) : path.resolve(dir);
  const removeDir = () => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };

  let server;
  try {
    if (fixedPort !== undefined) {
      server = await launch(binary, fixedPort, dataDir);
    } else {
      // The free port can be taken between our probe and Redis' bind; try a fresh one then.
      for (let attempt = 1; server === undefined; attempt++) {
        try {
          server = await launch(binary, await freePort(), dataDir);
        } catch (error) {
          if (!error.portInUse || attempt >= 3) throw error;
        }
      }
    }
  } catch (error) {
    removeDir();
    throw error;
  }
  const { port } = server;

  let stopping;
  // Serialises down/up/stop, so a restart racing a stop never leaves a server behind.
  let pending = Promise.resolve();
  const serially = (action) => {
    const next = pending.then(action);
    pending = next.catch(() => {});
    return next;
  };

  const handle = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir: dataDir,
    /** The pid of the current redis-server process; undefined while it is down. */
    get pid() {
      return server?.pid;
    },
    get running() {
      return server !== undefined;
    },
    /** Stops the server and keeps the data dir; `SIGTERM` flushes the AOF, `SIGKILL` is a crash. */
    down: (signal = 'SIGTERM') =>
      serially(async () => {
        if (stopping) throw new Error('redis-server was stopped for good');
        const current = server;
        server = undefined;
        await current?.stop(signal);
      }),
    /** Starts a new server on the same port and data dir (it replays the AOF); a no-op while running. */
    up: () =>
      serially(async () => {
        if (stopping) throw new Error('redis-server was stopped for good');
        if (server === undefined) server = await launch(binary, port, dataDir);
      }),
    restart: async ({ downMs = 0, signal = 'SIGTERM' } = {}) => {
      await handle.down(signal);
      await sleep(downMs);
      await handle.up();
    },
    stop: () => {
      stopping ??= serially(async () => {
        const current = server;
        server = undefined;
        await current?.stop('SIGTERM');
        removeDir();
      });
      return stopping;
    },
  };
  return handle;
}

/** Starts one redis-server process on `port` and waits for PONG; the caller owns the data dir. */
async function launch(binary, port, dataDir) {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', ''],
    ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
    ...['--dir', dataDir, '--daemonize', 'no', '--protected-mode', 'yes'],
  ];
  // Own process group: a terminal Ctrl-C reaches the command, which can still use Redis while it shuts down;
  // we stop Redis ourselves afterwards.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-LOG_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ error }));
  });
  let exitStatus;
  void exited.then((status) => (exitStatus = status));

  // Safety net: never leave our redis-server behind when this process exits without calling stop().
  const killOnExit = () => {
    if (exitStatus === undefined && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ping(port))) {
    if (exitStatus !== undefined || Date.now() > deadline) {
      const status = exitStatus;
      if (status === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
      process.removeListener('exit', killOnExit);
      const reason = status?.error
        ? status.error.message
        : status
          ? `it exited (${status.code ?? status.signal})`
          : `no PONG within ${READY_TIMEOUT_MS / 1000} s`;
      const error = new Error(`redis-server on port ${port} did not start: ${reason}\n${output.trim()}`.trim());
      error.portInUse = /address already in use/i.test(output);
      throw error;
    }
    await sleep(50);
  }

  let stopping;
  const stop = (signal = 'SIGTERM') => {
    stopping ??= (async () => {
      if (exitStatus === undefined) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
    })();
    return stopping;
  };

  return { port, pid: child.pid, stop };
}

const SIGNAL_EXIT_GRACE_MS = 10_000;

/** `run -- <command...>`: runs the command with REDIS_URL pointing at an embedded Redis unless one is given. */
async function runCli(argv) {
  const [verb, ...rest] = argv;
  const command = rest[0] === '--' ? rest.slice(1) : rest;
  if (verb !== 'run' || command.length === 0) {
    console.error('usage: node scripts/redis.mjs run -- <command...>');
    return 2;
  }

  let redis;
  let child;
  let exiting = false;
  const shutdown = async (code) => {
    if (exiting) return;
    exiting = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    try {
      await redis?.stop();
    } finally {
      process.exit(code);
    }
  };

  let pendingSignal;
  const onSignal = (signal) => {
    if (child) {
      child.kill(signal);
      // A command that ignores the signal must not keep Redis (and us) alive forever.
      setTimeout(() => child.kill('SIGKILL'), SIGNAL_EXIT_GRACE_MS).unref();
    } else {
      pendingSignal = signal; // still starting Redis: stop right after
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', (error) => {
    console.error(error);
    void shutdown(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    void shutdown(1);
  });

  const env = { ...process.env };
  if (!env.REDIS_URL) {
    try {
      redis = await startRedis();
    } catch (error) {
      console.error(`redis: ${error.message}`);
      return 1;
    }
    env.REDIS_URL = redis.url;
    log(`embedded redis-server on ${redis.url} (AOF everysec, noeviction)`);
  }
  if (pendingSignal) {
    await redis?.stop();
    return 128 + (osConstants.signals[pendingSignal] ?? 0);
  }

  const status = await new Promise((resolve) => {
    child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
    child.once('error', (error) => {
      console.error(`redis: cannot run ${command[0]}: ${error.message}`);
      resolve(error.code === 'ENOENT' ? 127 : 126);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (osConstants.signals[signal] ?? 0)));
  });
  // Also awaited when an error handler is already shutting down: stop() is idempotent.
  await redis?.stop();
  return status;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runCli(process.argv.slice(2));
  process.exit();
}
