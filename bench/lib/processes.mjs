// Every process the benchmark starts: each leads its own process group (detached), writes its
// output to a log file (as a host writes to a collector, without the benchmark reading every
// line), and is stopped by pid: SIGTERM to its group, SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const TAIL_BYTES = 6_000;

/** Processes still running, by pid. */
const running = new Map();

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** The last bytes of a log file, for error messages. */
export function tailOf(file, bytes = TAIL_BYTES) {
  try {
    const size = statSync(file).size;
    const text = readFileSync(file, 'utf8');
    return size > bytes ? text.slice(-bytes) : text;
  } catch {
    return '';
  }
}

/**
 * Starts `node <script> …args` (or any command) in its own process group.
 *
 * @returns {{ label: string, pid: number, startedAt: number, logFile: string, exited: Promise<object>,
 *   status: object | undefined, tail(): string, stop(graceMs?: number): Promise<void> }}
 */
export function startProcess({ label, command = process.execPath, args = [], env, cwd, logDir }) {
  const logFile = path.join(logDir, `${label.replace(/[^a-z0-9.-]+/gi, '-')}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const startedAt = performance.now();
  let child;
  try {
    child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const proc = {
    label,
    pid: child.pid,
    startedAt,
    logFile,
    exited,
    status: undefined,
    tail: () => tailOf(logFile),
    async stop(graceMs = 10_000) {
      if (proc.status === undefined && proc.pid !== undefined) {
        signalGroup(proc.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(proc.pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything the leader left behind in its group goes too.
      if (proc.pid !== undefined) signalGroup(proc.pid, 'SIGKILL');
      running.delete(proc.pid);
    },
  };
  if (child.pid !== undefined) running.set(child.pid, proc);
  void exited.then((status) => {
    proc.status = status;
  });
  return proc;
}

/** Stops every process this module started and that is still running. */
export async function stopAll(graceMs = 5_000) {
  await Promise.all([...running.values()].map((proc) => proc.stop(graceMs)));
}

/** Synchronous last resort (process 'exit'): SIGKILL to every group still known. */
export function killAllNow() {
  for (const pid of running.keys()) signalGroup(pid, 'SIGKILL');
}

export function describeExit(status) {
  if (!status) return 'is still running';
  if (status.error) return `could not start: ${status.error.message}`;
  return status.code !== null ? `exited with ${status.code}` : `was killed by ${status.signal}`;
}

/**
 * Polls `url` until it answers 200; resolves to the milliseconds from the process start.
 * Fails when the process exits first or `timeoutMs` passes.
 */
export async function waitForReady(proc, url, { timeoutMs = 30_000, intervalMs = 20 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.status !== undefined) {
      throw new Error(`${proc.label} ${describeExit(proc.status)} before it was ready:\n${proc.tail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return performance.now() - proc.startedAt;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`${proc.label} was not ready at ${url} within ${timeoutMs} ms:\n${proc.tail()}`);
    }
    await sleep(intervalMs);
  }
}

/** Resident set size of a process in MB (from /proc), or undefined when it cannot be read. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on Linux, whatever the kernel's own rate. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time a process has used (user + system), in seconds, from /proc; undefined when it cannot be
 * read. Unlike throughput, the CPU a process spends per request does not depend on what else the
 * machine is running, so two builds compare on it even on a noisy machine (to 10 ms per reading).
 */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces: utime is
    // field 14 and stime field 15 of the line, so 12th and 13th after the name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` until `stop()`; resolves to the peak and median seen. */
export function sampleRss(pid, intervalMs = 250) {
  const samples = [];
  const take = () => {
    const mb = rssMb(pid);
    if (mb !== undefined) samples.push(mb);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const sorted = [...samples].sort((a, b) => a - b);
      return { peakMb: sorted.at(-1), medianMb: sorted[Math.floor(sorted.length / 2)] };
    },
  };
}
