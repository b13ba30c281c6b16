#!/usr/bin/env node
// The local demo: the fake order-management service (OMS), the API host and the worker host as three
// separate processes on free ports, one sample order pushed through them, and a timeline of what happened.
//
//   make demo                                                # = node scripts/redis.mjs run -- node scripts/demo.mjs
//   DEMO_ONCE=1 node scripts/redis.mjs run -- node scripts/demo.mjs    # run the sample order, stop, exit 0 if it worked
//   DEMO_VERBOSE=1 ...                                       # also show Nest's module/route startup lines
//
// Needs REDIS_URL and the packages built (`pnpm build`). Without DEMO_ONCE it keeps serving until
// SIGINT/SIGTERM. The children run in their own process groups, so only this script signals them
// (SIGTERM, SIGKILL after 10 s, 9 s after a signal: see SIGNALLED_STOP_GRACE_MS); they are killed
// outright if this script exits any other way.
// Unless set already, SHUTDOWN_GRACE_MS is 3000 for the hosts so they stop on their own well
// within that window (and within redis.mjs' own 10 s limit on this script).
//
// Only node builtins and global fetch.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BINS = {
  fakes: 'packages/testing/dist/bin/coordinator-fakes.js',
  api: 'packages/api-host/dist/bin/coordinator-api.js',
  worker: 'packages/worker-host/dist/bin/coordinator-worker.js',
};
const EXTENSIONS = '@coordinator/extension-orders,@coordinator/extension-payments';
const SAMPLE_ORDER = {
  customerId: 'c-42',
  currency: 'EUR',
  lines: [{ sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 }],
};

const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 100;
const FLOW_TIMEOUT_MS = 20_000;
const TASK_POLL_MS = 50;
const STOP_GRACE_MS = 10_000;
// After a signal, redis.mjs SIGKILLs this script 10 s after forwarding it; our SIGKILLs must come first or a
// stuck child (in its own process group) would outlive us.
const SIGNALLED_STOP_GRACE_MS = 9_000;
const TAIL_LINES = 15;
const NOISE = /InstanceLoader|RoutesResolver|RouterExplorer/;

const ONCE = process.env.DEMO_ONCE === '1';
const VERBOSE = process.env.DEMO_VERBOSE === '1';
const COLOR =
  process.env.FORCE_COLOR !== undefined
    ? process.env.FORCE_COLOR !== '0'
    : Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code, text) => (COLOR ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = (text) => paint('1', text);
const dim = (text) => paint('2', text);
const red = (text) => paint('31', text);
const green = (text) => paint('32', text);

const say = (message = '') => process.stdout.write(`${message}\n`);
const warn = (message) => process.stderr.write(`${paint('1;31', '[demo]')} ${message}\n`);
// A reader that went away (`make demo | head`) must not crash the script and orphan the children.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

/** A child exited while it was supposed to be running. */
class ChildExitedError extends Error {
  constructor(child) {
    const { code, signal, error } = child.status;
    const how = error
      ? `could not be started: ${error.message}`
      : `exited early (${signal ? `signal ${signal}` : `exit code ${code}`})`;
    super(`${child.label} ${how}${tailOf(child)}`);
  }
}

/** SIGINT/SIGTERM/SIGHUP arrived: stop whatever is going on. */
class InterruptedError extends Error {
  constructor(signal) {
    super(`${signal} received`);
    this.signal = signal;
  }
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// ---------------------------------------------------------------------------------------------------------------
// Children

/** @type {Array<ReturnType<typeof startChild>>} */
const children = [];
let stopping = false;
/** The first SIGINT/SIGTERM/SIGHUP received, if any. */
let firstSignal;
/** Rejects with ChildExitedError when any child exits before we stop it. */
const childDied = deferred();
childDied.promise.catch(() => {});
/** Rejects with InterruptedError on the first signal. */
const interrupted = deferred();
interrupted.promise.catch(() => {});

function startChild({ label, tag, color, script, env, onStdoutLine }) {
  const proc = spawn(process.execPath, [path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches only this script, which then stops the children once, in order.
    detached: true,
  });
  const child = { label, prefix: paint(color, `[${tag}]`), proc, tail: [], status: undefined };
  child.closed = new Promise((resolve) => {
    proc.once('error', (error) => {
      // 'close' may not follow when the process never started.
      child.status ??= { error };
      if (proc.pid === undefined) resolve(child.status);
    });
    proc.once('close', (code, signal) => {
      child.status = { code, signal };
      resolve(child.status);
    });
  });
  child.closed.then(() => {
    if (!stopping) childDied.reject(new ChildExitedError(child));
  });

  const handleLine = (line, fromStdout) => {
    if (fromStdout && onStdoutLine?.(line)) return;
    if (!VERBOSE && NOISE.test(line)) return;
    child.tail.push(line);
    if (child.tail.length > TAIL_LINES) child.tail.shift();
    say(`${child.prefix} ${line}`);
  };
  readline.createInterface({ input: proc.stdout, crlfDelay: Infinity }).on('line', (line) => handleLine(line, true));
  readline.createInterface({ input: proc.stderr, crlfDelay: Infinity }).on('line', (line) => handleLine(line, false));
  children.push(child);
  return child;
}

const isRunning = (child) =>
  child.proc.pid !== undefined && child.proc.exitCode === null && child.proc.signalCode === null;

function tailOf(child) {
  if (child.tail.length === 0) return ' (it printed nothing)';
  return `; its last output:\n${child.tail.map((line) => `    ${line}`).join('\n')}`;
}

function signalChild(child, signal) {
  try {
    process.kill(child.proc.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to every running child, SIGKILL to those still running after the grace period; resolves once all exited. */
let stoppingAll;
function stopChildren() {
  stopping = true;
  const graceMs = firstSignal ? SIGNALLED_STOP_GRACE_MS : STOP_GRACE_MS;
  stoppingAll ??= Promise.all(
    children.map(async (child) => {
      if (!isRunning(child)) return;
      signalChild(child, 'SIGTERM');
      const timer = setTimeout(() => {
        warn(`${child.label} still running ${graceMs / 1000} s after SIGTERM; sending SIGKILL`);
        signalChild(child, 'SIGKILL');
      }, graceMs);
      await child.closed;
      clearTimeout(timer);
    }),
  );
  return stoppingAll;
}

// Last resort (crash paths that skip stopChildren, process.exit elsewhere): never leave a child behind.
process.on('exit', () => {
  for (const child of children) if (isRunning(child)) signalChild(child, 'SIGKILL');
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** `count` distinct free ports on 127.0.0.1 (all held open at once, then released). */
async function freePorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const server = net.createServer();
          server.unref();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  return ports;
}

/** Races `work` against a child dying early and a stop signal. */
function guard(work) {
  return Promise.race([work, childDied.promise, interrupted.promise]);
}

/** Polls `url` until it answers 200; rejects after `deadline` naming the child and its last answer. */
async function waitReady(child, url, deadline) {
  let last;
  for (;;) {
    if (stopping) return;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      const body = (await res.text()).trim().slice(0, 200);
      if (res.status === 200) return;
      last = `answered ${res.status}${body ? ` ${body}` : ''}`;
    } catch (error) {
      last = `failed: ${error.cause?.code ?? error.cause?.message ?? error.message}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${child.label} did not become ready within ${READY_TIMEOUT_MS / 1000} s: GET ${url} last ${last}${tailOf(child)}`,
      );
    }
    await sleep(READY_POLL_MS);
  }
}

const TERMINAL = new Set(['completed', 'failed']);

/** Polls GET /tasks/:id until the task completed or failed, or until `deadline`. */
async function pollTask(apiUrl, taskId, deadline) {
  let status;
  let problem;
  for (;;) {
    if (stopping) return { taskId, status, problem: 'stopped' };
    try {
      const res = await fetch(`${apiUrl}/tasks/${encodeURIComponent(taskId)}`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        status = await res.json();
        problem = undefined;
        if (TERMINAL.has(status.state)) return { taskId, status };
      } else {
        problem = `GET /tasks/${taskId} answered ${res.status}: ${(await res.text()).slice(0, 200)}`;
      }
    } catch (error) {
      problem = `GET /tasks/${taskId} failed: ${error.cause?.code ?? error.message}`;
    }
    if (Date.now() >= deadline) return { taskId, status, problem, timedOut: true };
    await sleep(TASK_POLL_MS);
  }
}

/** `orders.submit.1c59ab…` → `orders.submit.1c59…`; UUIDs → first group. */
function short(id) {
  const task = /^(.*\.)([0-9a-f]{8,})$/i.exec(id);
  if (task) return `${task[1]}${task[2].slice(0, 4)}…`;
  const uuid = /^([0-9a-f]{8})-[0-9a-f-]{27}$/i.exec(id);
  if (uuid) return `${uuid[1]}-…`;
  return id;
}

function describeResult(status) {
  const result = status.result;
  if (
    status.task === 'payments.request-payment' &&
    result &&
    typeof result.amount === 'number' &&
    typeof result.currency === 'string'
  ) {
    return `payment of ${(result.amount / 100).toFixed(2)} ${result.currency} requested`;
  }
  if (result === undefined) return 'no result';
  const text = JSON.stringify(result);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function whyNotDone(poll) {
  const { status, problem } = poll;
  if (!status) return `${poll.taskId}: no status (${problem ?? 'never answered'})`;
  const attempts = `attempt ${status.attemptsMade}/${status.maxAttempts}`;
  const reason = status.failureReason ? `, last failure: ${status.failureReason}` : '';
  return `${status.task} still ${status.state} (${attempts}${reason})${problem ? `; ${problem}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The sample order

/** Sends the sample order and follows it through orders.submit and the handlers of the signals it emitted. */
async function runSampleOrder(apiUrl, omsUrl) {
  const idempotencyKey = `demo-${randomUUID()}`;
  const flow = { idempotencyKey, events: [], failures: [] };
  const t0 = Date.now();
  flow.t0 = t0;
  const deadline = t0 + FLOW_TIMEOUT_MS;
  const at = (iso) => (iso ? Math.max(0, Date.parse(iso) - t0) : undefined);
  const event = (offset, label, text) => flow.events.push({ offset, label, text });

  let res;
  try {
    res = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(SAMPLE_ORDER),
      signal: AbortSignal.timeout(FLOW_TIMEOUT_MS),
    });
  } catch (error) {
    flow.failures.push(`POST ${apiUrl}/orders failed: ${error.cause?.message ?? error.message}`);
    return flow;
  }
  const text = await res.text();
  if (res.status !== 202) {
    flow.failures.push(`POST /orders answered ${res.status} (expected 202): ${text.slice(0, 300)}`);
    return flow;
  }
  const accepted = JSON.parse(text);
  flow.accepted = accepted;

  const submit = await pollTask(apiUrl, accepted.taskId, deadline);
  const s = submit.status;
  event(at(s?.enqueuedAt) ?? Date.now() - t0, 'request accepted', `202 ${short(accepted.taskId)}`);
  // startedAt is when the latest attempt started; earlier attempts show up as their OMS calls.
  if (s?.startedAt) event(at(s.startedAt), 'task started', `${s.task} (attempt ${Math.max(1, s.attemptsMade)})`);

  // What the OMS saw for this order (each attempt is one call).
  try {
    const callsRes = await fetch(`${omsUrl}/__calls`, { signal: AbortSignal.timeout(2_000) });
    const calls = await callsRes.json();
    for (const call of calls) {
      if (call.body?.orderId !== accepted.orderId) continue;
      const ok = call.status !== undefined && call.status >= 200 && call.status < 300;
      const outcome = ok
        ? (s?.result?.omsOrderId ?? String(call.status))
        : `${call.status ?? 'connection reset'}${call.fault ? ' (injected fault)' : ''}`;
      event(at(call.at), 'downstream called', `OMS ${call.method} ${call.path} → ${outcome}`);
    }
  } catch (error) {
    event(Date.now() - t0, 'downstream called', `(could not read ${omsUrl}/__calls: ${error.message})`);
  }

  if (submit.timedOut || !s) {
    flow.failures.push(`timed out after ${FLOW_TIMEOUT_MS / 1000} s: ${whyNotDone(submit)}`);
    return flow;
  }
  if (s.state === 'failed') {
    event(at(s.finishedAt), 'task failed', `${s.task} after ${s.attemptsMade} attempt(s)`);
    flow.failures.push(`${s.task} failed: ${s.failureReason ?? 'no reason given'}`);
    return flow;
  }

  const emitted = s.emitted ?? [];
  if (emitted.length === 0) {
    flow.failures.push(`${s.task} completed but emitted no signal (result ${JSON.stringify(s.result)})`);
    return flow;
  }
  for (const { signal, taskIds } of emitted) {
    event(at(s.finishedAt), 'signal emitted', `${signal} → ${taskIds.map(short).join(', ') || '(no handlers)'}`);
  }

  const handlerIds = emitted.flatMap((entry) => entry.taskIds);
  const handlers = await Promise.all(handlerIds.map((taskId) => pollTask(apiUrl, taskId, deadline)));
  for (const handler of handlers) {
    const h = handler.status;
    if (handler.timedOut || !h) {
      flow.failures.push(`timed out after ${FLOW_TIMEOUT_MS / 1000} s: ${whyNotDone(handler)}`);
    } else if (h.state === 'failed') {
      event(at(h.finishedAt), 'handler failed', `${h.task} after ${h.attemptsMade} attempt(s)`);
      flow.failures.push(`${h.task} failed: ${h.failureReason ?? 'no reason given'}`);
    } else {
      const attempt = h.attemptsMade > 1 ? ` (attempt ${h.attemptsMade})` : '';
      event(at(h.finishedAt), 'handler ran', `${h.task} completed${attempt}: ${describeResult(h)}`);
    }
  }
  return flow;
}

function printTimeline(flow) {
  const order = flow.accepted ? short(flow.accepted.orderId) : '(not accepted)';
  say('');
  say(`${bold(`Sample order ${order}`)}  (Idempotency-Key ${flow.idempotencyKey})`);
  // Chronological; events at the same millisecond keep their causal order (sort is stable).
  const events = [...flow.events].sort((a, b) => a.offset - b.offset);
  for (const { offset, label, text } of events) {
    say(`  ${`+${offset} ms`.padEnd(10)}${label.padEnd(21)}${text}`);
  }
  if (flow.failures.length === 0) {
    const last = Math.max(0, ...flow.events.map((e) => e.offset));
    say(`  ${green('✓')} flow completed in ${last} ms`);
  } else {
    for (const failure of flow.failures) say(`  ${red('✗ FAILED:')} ${failure}`);
  }
  say('');
}

function printHowTo(apiUrl, omsUrl, flow) {
  const sampleTask = flow.accepted?.taskId ?? 'orders.submit.<id from the POST answer>';
  say(bold(`Try it by hand — the API is at ${apiUrl}`));
  say(dim('  # place an order (a new idempotency key makes a new order; the same key gives back the same one)'));
  say(`  curl -sS -X POST ${apiUrl}/orders \\`);
  say(`    -H 'content-type: application/json' -H 'idempotency-key: demo-${randomUUID()}' \\`);
  say(`    -d '${JSON.stringify(SAMPLE_ORDER)}'`);
  say(dim('  # look at a task (use the taskId from the answer; this one is the sample order)'));
  say(`  curl -sS ${apiUrl}/tasks/${sampleTask}`);
  say(dim('  # what the fake order-management service received'));
  say(`  curl -sS ${omsUrl}/__calls`);
  say('');
  say(bold('Ctrl-C to stop.'));
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    warn('REDIS_URL is not set: run `make demo` or `node scripts/redis.mjs run -- node scripts/demo.mjs`');
    return 2;
  }
  const missing = Object.values(BINS).filter((bin) => !existsSync(path.join(ROOT, bin)));
  if (missing.length > 0) {
    warn(`not built: ${missing.join(', ')} missing; run \`pnpm build\` (or \`make demo\`) first`);
    return 2;
  }

  const [apiPort, healthPort] = await freePorts(2);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const readyUrl = `http://127.0.0.1:${healthPort}/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  say(dim(`Starting the fake OMS, coordinator-api and coordinator-worker (Redis ${redisUrl}) …`));

  const omsLine = deferred();
  const fakes = startChild({
    label: 'coordinator-fakes (fake OMS)',
    tag: 'oms',
    color: '33',
    script: BINS.fakes,
    env: {},
    onStdoutLine: (line) => {
      try {
        const parsed = JSON.parse(line);
        if (typeof parsed?.oms === 'string') {
          omsLine.resolve(parsed.oms);
          return true;
        }
      } catch {
        // not the JSON line; print it like any other
      }
      return false;
    },
  });
  const omsTimer = setTimeout(
    () =>
      omsLine.reject(
        new Error(
          `${fakes.label} did not print its {"oms":"http://…"} line within ${READY_TIMEOUT_MS / 1000} s${tailOf(fakes)}`,
        ),
      ),
    READY_TIMEOUT_MS,
  );
  let omsUrl;
  try {
    omsUrl = await guard(omsLine.promise);
  } finally {
    clearTimeout(omsTimer);
  }

  const hostEnv = {
    REDIS_URL: redisUrl,
    COORDINATOR_EXTENSIONS: EXTENSIONS,
    ORDERS_OMS_URL: omsUrl,
    SHUTDOWN_GRACE_MS: process.env.SHUTDOWN_GRACE_MS ?? '3000',
  };
  const api = startChild({
    label: 'coordinator-api (api-host)',
    tag: 'api',
    color: '36',
    script: BINS.api,
    env: { ...hostEnv, PORT: String(apiPort) },
  });
  const worker = startChild({
    label: 'coordinator-worker (worker-host)',
    tag: 'worker',
    color: '35',
    script: BINS.worker,
    env: { ...hostEnv, HEALTH_PORT: String(healthPort) },
  });
  const readiness = await guard(
    Promise.allSettled([waitReady(api, `${apiUrl}/health/ready`, deadline), waitReady(worker, readyUrl, deadline)]),
  );
  const notReady = readiness.filter((result) => result.status === 'rejected').map((result) => result.reason.message);
  if (notReady.length > 0) throw new Error(notReady.join('\n'));
  say(dim(`Ready: OMS ${omsUrl}, API ${apiUrl}, worker health ${readyUrl}`));

  const flow = await guard(runSampleOrder(apiUrl, omsUrl));
  printTimeline(flow);
  const ok = flow.failures.length === 0;

  if (ONCE) {
    say(dim(`DEMO_ONCE=1: ${ok ? 'flow completed' : 'flow failed'}; stopping`));
    return ok ? 0 : 1;
  }
  printHowTo(apiUrl, omsUrl, flow);
  await guard(new Promise(() => {})); // until a signal or a child dies
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // Ctrl-C reaches us twice (from the terminal and forwarded by redis.mjs); one shutdown is enough.
    if (firstSignal) return;
    firstSignal = signal;
    say('');
    say(dim(`${signal} received: stopping the demo processes …`));
    interrupted.reject(new InterruptedError(signal));
  });
}

async function exitAfterStopping(code) {
  await stopChildren();
  process.exit(code);
}

process.on('uncaughtException', (error) => {
  warn(`crashed: ${error.stack ?? error}`);
  void exitAfterStopping(1);
});
process.on('unhandledRejection', (error) => {
  warn(`crashed: ${error?.stack ?? error}`);
  void exitAfterStopping(1);
});

let code;
try {
  code = await main();
} catch (error) {
  if (error instanceof InterruptedError) {
    // Serving until a signal is the normal end; with DEMO_ONCE a signal means the flow did not finish.
    code = ONCE ? 128 + (osConstants.signals[error.signal] ?? 0) : 0;
  } else {
    warn(error.message);
    code = 1;
  }
}
await exitAfterStopping(code);
