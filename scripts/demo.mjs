#!/usr/bin/env node
// The local demo: the fakes (order management and a Stripe-compatible payment provider), the API host and the
// worker host as three separate processes on free ports, one sample order pushed through the whole commerce flow
// (submit → payment → webhook → fulfilment, across both extensions), and a timeline of what happened.
//
//   make demo                                                # = node scripts/redis.mjs run -- node scripts/demo.mjs
//   DEMO_ONCE=1 node scripts/redis.mjs run -- node scripts/demo.mjs    # run the sample order, stop, exit 0 if it worked
//   DEMO_VERBOSE=1 ...                                       # also show Nest's startup lines and GET request logs
//
// Needs REDIS_URL and the packages built (`pnpm build`). Without DEMO_ONCE it keeps serving until
// SIGINT/SIGTERM. The children run in their own process groups, so only this script signals them
// (SIGTERM, SIGKILL after 10 s, 9 s after a signal: see SIGNALLED_STOP_GRACE_MS); they are killed
// outright if this script exits any other way.
// Unless set already, SHUTDOWN_GRACE_MS is 3000 for the hosts so they stop on their own well
// within that window (and within redis.mjs' own 10 s limit on this script).
// The demo sets no PAYMENTS_DEFAULT_PAYMENT_METHOD: orders name theirs (`"paymentMethod": "pm_card_visa"`).
// Set it in the environment to let orders without one be paid with it.
//
// Only node builtins and global fetch.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
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
/** Where the payment provider delivers its webhooks, on the API host. */
const WEBHOOK_PATH = '/payments/webhooks/stripe';
const SAMPLE_ORDER = {
  customerId: 'c-42',
  currency: 'EUR',
  lines: [{ sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 }],
  paymentMethod: 'pm_card_visa',
};

const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 100;
const FLOW_TIMEOUT_MS = 30_000;
const ORDER_POLL_MS = 50;
const STOP_GRACE_MS = 10_000;
// After a signal, redis.mjs SIGKILLs this script 10 s after forwarding it; our SIGKILLs must come first or a
// stuck child (in its own process group) would outlive us.
const SIGNALLED_STOP_GRACE_MS = 9_000;
const TAIL_LINES = 15;
// Nest's startup chatter, and the request log of this script's own polling (GETs).
const NOISE = /InstanceLoader|RoutesResolver|RouterExplorer|\[HTTP\] GET /;

const ONCE = process.env.DEMO_ONCE === '1';
// A development key with every scope, new each run. The API host is given only its SHA-256,
// as in production (`coordinator api-key` makes keys for real deployments).
const API_KEY = `cck_${randomBytes(32).toString('base64url')}`;
const API_KEYS = JSON.stringify([
  { id: 'demo', sha256: createHash('sha256').update(API_KEY).digest('hex'), scopes: ['*'] },
]);
const AUTH = { authorization: `Bearer ${API_KEY}` };
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

function startChild({ label, tag, color, script, args = [], env = {}, onStdoutLine }) {
  const proc = spawn(process.execPath, [path.join(ROOT, script), ...args], {
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

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One HTTP exchange; resolves to `{ status, body, text }` (body: parsed JSON or undefined), rejects with a readable message. */
async function fetchJson(url, { method = 'GET', body, headers = {}, timeoutMs = 2_000 } = {}) {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: parseJson(text), text };
  } catch (error) {
    throw new Error(`${method} ${url} failed: ${error.cause?.code ?? error.cause?.message ?? error.message}`, {
      cause: error,
    });
  }
}

/** GET `url` expecting 200 JSON; resolves to `{ body }` or `{ error }`, never rejects. */
async function readJson(url) {
  try {
    const res = await fetchJson(url, { headers: AUTH });
    if (res.status === 200 && res.body !== undefined) return { body: res.body };
    return { error: `GET ${url} answered ${res.status}: ${res.text.slice(0, 200)}` };
  } catch (error) {
    return { error: error.message };
  }
}

/** Polls `url` until it answers 200; rejects after `deadline` naming the child and its last answer. */
async function waitReady(child, url, deadline) {
  let last;
  for (;;) {
    if (stopping) return;
    try {
      const res = await fetchJson(url, { timeoutMs: 1_000 });
      if (res.status === 200) return;
      const body = res.text.trim().slice(0, 200);
      last = `answered ${res.status}${body ? ` ${body}` : ''}`;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${child.label} did not become ready within ${READY_TIMEOUT_MS / 1000} s: GET ${url} last ${last}${tailOf(child)}`,
      );
    }
    await sleep(READY_POLL_MS);
  }
}

/** `orders.submit.1c59ab…` → `orders.submit.1c59…`; UUIDs → first group; `pi_3f2aXYZ…` → `pi_3f2a…`. */
function short(id) {
  const task = /^(.*\.)([0-9a-f]{8,})$/i.exec(id);
  if (task) return `${task[1]}${task[2].slice(0, 4)}…`;
  const uuid = /^([0-9a-f]{8})-[0-9a-f-]{27}$/i.exec(id);
  if (uuid) return `${uuid[1]}-…`;
  const stripe = /^([a-z]{2,5}_[A-Za-z0-9]{4})[A-Za-z0-9]{8,}$/.exec(id);
  if (stripe) return `${stripe[1]}…`;
  return id;
}

/** `/orders/1c59ab12-…/fulfil` with every id segment shortened. */
const shortPath = (urlPath) => urlPath.split('/').map(short).join('/');

/** The task name in a task id (`payments.refund.3f2a…` → `payments.refund`). */
const taskNameOf = (taskId) => taskId.slice(0, Math.max(0, taskId.lastIndexOf('.'))) || taskId;

// ---------------------------------------------------------------------------------------------------------------
// Starting the processes

/** Starts the fakes; resolves to the JSON line they print: `{ oms, provider, providerApiKey, webhookSecret }`. */
async function startFakes({ omsPort, providerPort, webhookUrl }) {
  const ready = deferred();
  const fakes = startChild({
    label: 'coordinator-fakes (fake OMS and payment provider)',
    tag: 'fakes',
    color: '33',
    script: BINS.fakes,
    args: ['--oms-port', String(omsPort), '--port', String(providerPort), '--webhook-url', webhookUrl],
    onStdoutLine: (line) => {
      const parsed = parseJson(line);
      if (typeof parsed?.oms !== 'string') return false; // not the JSON line; print it like any other
      ready.resolve(parsed);
      return true;
    },
  });
  const timer = setTimeout(
    () =>
      ready.reject(
        new Error(
          `${fakes.label} did not print its {"oms":…,"provider":…} line within ${READY_TIMEOUT_MS / 1000} s${tailOf(fakes)}`,
        ),
      ),
    READY_TIMEOUT_MS,
  );
  let endpoints;
  try {
    endpoints = await guard(ready.promise);
  } finally {
    clearTimeout(timer);
  }
  const missing = ['provider', 'providerApiKey', 'webhookSecret'].filter((key) => typeof endpoints[key] !== 'string');
  if (missing.length > 0) {
    throw new Error(
      `${fakes.label} printed no ${missing.join(', ')} (stale build? run \`pnpm build\`): ${JSON.stringify(endpoints)}`,
    );
  }
  return endpoints;
}

/** Starts coordinator-api and coordinator-worker wired to Redis and the fakes; resolves once both are ready. */
async function startHosts({ redisUrl, fakes, apiUrl, apiPort, healthPort, deadline }) {
  const hostEnv = {
    REDIS_URL: redisUrl,
    COORDINATOR_EXTENSIONS: EXTENSIONS,
    COORDINATOR_API_KEYS: API_KEYS,
    ORDERS_OMS_URL: fakes.oms,
    PAYMENTS_PROVIDER_URL: fakes.provider,
    PAYMENTS_PROVIDER_API_KEY: fakes.providerApiKey,
    PAYMENTS_STRIPE_WEBHOOK_SECRET: fakes.webhookSecret,
    SHUTDOWN_GRACE_MS: process.env.SHUTDOWN_GRACE_MS ?? '3000',
    // The hosts log JSON lines by default; here people read them. LOG_FORMAT=json keeps JSON.
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
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
    Promise.allSettled([
      waitReady(api, `${apiUrl}/health/ready`, deadline),
      waitReady(worker, `http://127.0.0.1:${healthPort}/health/ready`, deadline),
    ]),
  );
  const notReady = readiness.filter((result) => result.status === 'rejected').map((result) => result.reason.message);
  if (notReady.length > 0) throw new Error(notReady.join('\n'));
}

// ---------------------------------------------------------------------------------------------------------------
// The sample order

/** POSTs the sample order; resolves to `{ t0, accepted }` or `{ t0, failure }`. */
async function placeOrder(apiUrl, idempotencyKey) {
  const t0 = Date.now();
  try {
    const res = await fetchJson(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { ...AUTH, 'idempotency-key': idempotencyKey },
      body: SAMPLE_ORDER,
      timeoutMs: FLOW_TIMEOUT_MS,
    });
    if (res.status === 202 && typeof res.body?.orderId === 'string') return { t0, accepted: res.body };
    return {
      t0,
      failure: `POST /orders answered ${res.status} (expected 202 {orderId, …}): ${res.text.slice(0, 300)}`,
    };
  } catch (error) {
    return { t0, failure: error.message };
  }
}

/** Stages an order does not leave on its own: waiting for another one is pointless. */
const SETTLED_STAGES = new Set(['fulfilled', 'cancelled', 'needs-attention', 'failed']);

/** Polls GET /orders/:id until the order reaches `stage`, settles elsewhere or `deadline` passes. */
async function waitForStage(apiUrl, orderId, stage, deadline) {
  let view;
  let problem;
  for (;;) {
    if (stopping) return { view, problem: 'stopped' };
    const answer = await readJson(`${apiUrl}/orders/${orderId}`);
    problem = answer.error;
    if (answer.body) {
      view = answer.body;
      if (view.stage === stage) return { view, reached: true };
      if (SETTLED_STAGES.has(view.stage)) return { view, problem: `the order ended ${view.stage}, not ${stage}` };
    }
    if (Date.now() >= deadline) {
      const where = view ? `it is still ${view.stage}` : 'no answer';
      return {
        view,
        problem: `not ${stage} within ${FLOW_TIMEOUT_MS / 1000} s: ${where}${problem ? `; ${problem}` : ''}`,
      };
    }
    await sleep(ORDER_POLL_MS);
  }
}

/** GET /payments/:orderId/receipt; a fulfilled order's payment must be `paid`. */
async function readReceipt(apiUrl, orderId) {
  const { body, error } = await readJson(`${apiUrl}/payments/${orderId}/receipt`);
  if (error) return { failure: error };
  if (body.status !== 'paid') return { receipt: body, failure: `the receipt says ${body.status}, expected paid` };
  return { receipt: body };
}

/** Sends the sample order, waits until it is fulfilled and gathers its timeline and receipt. */
async function runSampleOrder(urls) {
  const flow = { idempotencyKey: `demo-${randomUUID()}`, events: [], failures: [] };
  const placed = await placeOrder(urls.api, flow.idempotencyKey);
  if (placed.failure) {
    flow.failures.push(placed.failure);
    return flow;
  }
  flow.accepted = placed.accepted;
  const { orderId } = placed.accepted;
  const waited = await waitForStage(urls.api, orderId, 'fulfilled', placed.t0 + FLOW_TIMEOUT_MS);
  flow.view = waited.view;
  if (!waited.reached) flow.failures.push(waited.problem);

  // Also after a failure: it shows how far the order got, and webhook deliveries show nowhere else.
  const timeline = await collectTimeline(urls, { t0: placed.t0, accepted: placed.accepted, view: waited.view });
  Object.assign(flow, timeline);
  if (waited.reached) {
    const { receipt, failure } = await readReceipt(urls.api, orderId);
    flow.receipt = receipt;
    if (failure) flow.failures.push(failure);
  }
  return flow;
}

// ---------------------------------------------------------------------------------------------------------------
// The timeline: events `{ offset, pos, kind, label, text }`, offset in ms from the request.
//
// Events in the same millisecond are ordered by causality: `pos` is the index of the task an event belongs to
// (tasks in enqueue order; the request before them all, a webhook just before the first task enqueued after it),
// `kind` its step within that task.

const KIND = { enqueued: 0, started: 1, called: 2, emitted: 3, finished: 4 };

/** Builds the order's timeline from its tasks (GET /tasks/:id each), the fakes' call ledgers and the webhook log. */
async function collectTimeline(urls, { t0, accepted, view }) {
  const at = (iso) => Math.max(0, Date.parse(iso) - t0);
  const taskIds = view?.tasks.map((task) => task.taskId) ?? [accepted.taskId];
  const [taskAnswers, omsCalls, pspCalls, webhooks] = await Promise.all([
    Promise.all(taskIds.map((id) => readJson(`${urls.api}/tasks/${encodeURIComponent(id)}`))),
    readJson(`${urls.oms}/__calls`),
    readJson(`${urls.provider}/__calls`),
    readJson(`${urls.provider}/__webhooks`),
  ]);
  const tasks = taskAnswers
    .filter((answer) => answer.body)
    .map((answer) => answer.body)
    .sort((a, b) => Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt));
  const chain = chainPositions(tasks, at);
  const resultOf = (name) => tasks.find((task) => task.task === name && task.state === 'completed')?.result;
  const { orderId } = accepted;
  const submit = tasks.find((task) => task.taskId === accepted.taskId);
  const deliveries = webhooks.body?.deliveries ?? [];

  const events = [
    {
      offset: submit ? at(submit.enqueuedAt) : 0,
      pos: -1,
      kind: KIND.enqueued,
      label: 'request accepted',
      text: `202 ${short(accepted.taskId)}`,
    },
    ...taskEvents(tasks, at, accepted.taskId),
    ...omsCallEvents(omsCalls.body ?? [], orderId, resultOf('orders.submit'), at, chain),
    ...pspCallEvents(pspCalls.body ?? [], orderId, resultOf('payments.create-payment'), at, chain),
    // The fakes are this demo's own and the sample order is the first through them: every delivery is about it.
    ...webhookEvents(deliveries, at, chain),
  ];
  const unreadable = [...taskAnswers, omsCalls, pspCalls, webhooks].filter((answer) => answer.error);
  for (const { error } of unreadable) {
    events.push({ offset: Date.now() - t0, pos: Infinity, kind: 0, label: 'not shown', text: error });
  }
  // Stable sort: what is still equal keeps the order it was added in.
  events.sort((a, b) => a.offset - b.offset || a.pos - b.pos || a.kind - b.kind);
  const fulfil = tasks.find((task) => task.task === 'orders.fulfil' && task.state === 'completed');
  return { events, fulfilledMs: fulfil?.finishedAt ? at(fulfil.finishedAt) : undefined };
}

/** Where an event sits in the chain of tasks (see above), by the time it happened. */
function chainPositions(tasks, at) {
  const enqueued = tasks.map((task) => at(task.enqueuedAt));
  const before = (offset) => {
    const next = enqueued.findIndex((when) => when >= offset);
    return (next === -1 ? tasks.length : next) - 0.5;
  };
  // A call belongs to the task running when it arrived (its latest attempt); earlier attempts fall back to `before`.
  const during = (offset) => {
    const running = tasks.findLastIndex(
      (task) => task.startedAt && at(task.startedAt) <= offset && (!task.finishedAt || offset <= at(task.finishedAt)),
    );
    return running === -1 ? before(offset) : running;
  };
  return { before, during };
}

/**
 * Per task: enqueued (unless it is the request's task or a signal's handler: a follow-up task, or one a webhook
 * started); started; each signal that started handlers; completed (when no handler followed) or failed.
 */
function taskEvents(tasks, at, requestTaskId) {
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  const handlers = new Set(tasks.flatMap((task) => (task.emitted ?? []).flatMap((entry) => entry.taskIds)));
  return tasks.flatMap((task, pos) => {
    const events = [];
    const add = (offset, kind, label, text) => events.push({ offset, pos, kind, label, text });
    if (task.taskId !== requestTaskId && !handlers.has(task.taskId)) {
      add(at(task.enqueuedAt), KIND.enqueued, 'task enqueued', task.task);
    }
    const attempt = task.attemptsMade > 1 ? ` (attempt ${task.attemptsMade})` : '';
    if (task.startedAt) add(at(task.startedAt), KIND.started, 'task started', `${task.task}${attempt}`);

    const emitted = task.emitted ?? [];
    const handled = emitted.filter((entry) => entry.taskIds.length > 0);
    for (const { signal, taskIds } of handled) {
      // When its first handler was enqueued, which is when it was emitted; the emitting task finishes later.
      const enqueued = taskIds.map((id) => byId.get(id)?.enqueuedAt).filter(Boolean);
      const offset = enqueued.length > 0 ? Math.min(...enqueued.map(at)) : at(task.finishedAt ?? task.startedAt);
      add(offset, KIND.emitted, 'signal emitted', `${signal} → ${taskIds.map(taskNameOf).join(', ')}`);
    }

    if (task.state === 'failed') {
      const text = `${task.task} after ${task.attemptsMade} attempt(s): ${task.failureReason ?? 'no reason given'}`;
      add(at(task.finishedAt ?? task.startedAt), KIND.finished, 'task failed', text);
    } else if (task.state === 'completed' && handled.length === 0) {
      const unhandled = emitted.map((entry) => entry.signal);
      const signals = unhandled.length > 0 ? ` → ${unhandled.join(', ')}` : '';
      add(at(task.finishedAt), KIND.finished, 'task completed', `${task.task}${describeResult(task.result)}${signals}`);
    }
    return events;
  });
}

/** `{ status: 'fulfilled' }` → ` (status: fulfilled)`, ids shortened, long results cut. */
function describeResult(result) {
  if (result === undefined || result === null) return '';
  const text =
    typeof result === 'object'
      ? Object.entries(result)
          .map(([key, value]) => `${key}: ${typeof value === 'string' ? short(value) : JSON.stringify(value)}`)
          .join(', ')
      : JSON.stringify(result);
  return ` (${text.length > 70 ? `${text.slice(0, 69)}…` : text})`;
}

/** One downstream call; `okText` replaces the status of a successful one (say, the id it created). */
function callEvent(service, call, at, chain, okText) {
  const ok = call.status !== undefined && call.status >= 200 && call.status < 300;
  const outcome = ok
    ? (okText ?? String(call.status))
    : `${call.status ?? 'connection reset'}${call.fault ? ' (injected fault)' : ''}`;
  const offset = at(call.at);
  const text = `${service} ${call.method} ${shortPath(call.path)} → ${outcome}`;
  return { offset, pos: chain.during(offset), kind: KIND.called, label: 'downstream called', text };
}

/** What order management received about the order: its create (body.orderId), fulfil, cancel, … (path). */
function omsCallEvents(calls, orderId, submitResult, at, chain) {
  return calls
    .filter((call) => call.body?.orderId === orderId || call.path.startsWith(`/orders/${orderId}/`))
    .map((call) => {
      const created = call.method === 'POST' && call.path === '/orders' ? submitResult?.omsOrderId : undefined;
      return callEvent('OMS', call, at, chain, created);
    });
}

/** What the provider received about the order: the intent created with its orderId, then calls naming the intent. */
function pspCallEvents(calls, orderId, paymentResult, at, chain) {
  const intentId = paymentResult?.paymentIntentId;
  const aboutIntent = (call) =>
    intentId !== undefined && (call.path.includes(intentId) || call.body?.payment_intent === intentId);
  return calls
    .filter((call) => call.body?.metadata?.orderId === orderId || aboutIntent(call))
    .map((call) => {
      const created = call.method === 'POST' && call.path === '/v1/payment_intents' ? intentId : undefined;
      return callEvent('PSP', call, at, chain, created && short(created));
    });
}

/** Each webhook delivery attempt the provider made, with the API's answer. */
function webhookEvents(deliveries, at, chain) {
  return deliveries.map((delivery) => {
    const offset = at(delivery.at);
    const notes = [delivery.attempt > 1 && `attempt ${delivery.attempt}`, delivery.copy > 1 && 'duplicate'];
    const note = notes.filter(Boolean).join(', ');
    const outcome = delivery.status ?? delivery.error ?? 'failed';
    return {
      offset,
      pos: chain.before(offset),
      kind: KIND.enqueued,
      label: delivery.ok ? 'webhook delivered' : 'webhook failed',
      text: `${delivery.type} → ${outcome}${note ? ` (${note})` : ''}`,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function printTimeline(flow) {
  const order = flow.accepted ? short(flow.accepted.orderId) : '(not accepted)';
  say('');
  say(`${bold(`Sample order ${order}`)}  (Idempotency-Key ${flow.idempotencyKey})`);
  for (const { offset, label, text } of flow.events) {
    say(`  ${`+${offset} ms`.padEnd(10)}${label.padEnd(21)}${text}`);
  }
  if (flow.failures.length === 0) {
    say(`  ${green('✓')} order fulfilled ${flow.fulfilledMs ?? '?'} ms after the request`);
  } else {
    for (const failure of flow.failures) say(`  ${red('✗ FAILED:')} ${failure}`);
    if (flow.view) printOrderTasks(flow.view);
  }
  say('');
}

/** The order view's tasks, for a flow that did not end fulfilled. */
function printOrderTasks(view) {
  say(`  Tasks of the order (GET /orders/${view.orderId}: stage ${view.stage}):`);
  if (view.tasks.length === 0) say('    (none)');
  const width = Math.max(0, ...view.tasks.map((task) => task.task.length)) + 2;
  for (const task of view.tasks) {
    const attempts = `${task.attemptsMade} attempt${task.attemptsMade === 1 ? '' : 's'}`;
    const reason = task.failureReason ? `  ${red(task.failureReason)}` : '';
    say(`    ${task.task.padEnd(width)}${task.state.padEnd(11)}${attempts}${reason}`);
  }
}

function printReceipt(receipt) {
  const refunded = `${(receipt.amountRefunded / 100).toFixed(2)} ${receipt.currency}`;
  say(
    `${bold('Receipt')}  ${receipt.display} ${receipt.status} (payment ${receipt.paymentIntentId}, refunded ${refunded})`,
  );
  say('');
}

function printHowTo(urls, flow) {
  const orderId = flow.accepted?.orderId ?? '<orderId from the POST answer>';
  const taskId = flow.accepted?.taskId ?? '<taskId from the POST answer>';
  const { api, oms, provider } = urls;
  say(bold(`Try it by hand — the API is at ${api}`));
  say(`  ${bold('Development key')} (every scope, valid while this demo runs):`);
  say(`  export COORDINATOR_KEY=${API_KEY}`);
  const auth = `-H "authorization: Bearer $COORDINATOR_KEY"`;
  say(dim('  # place an order (a new idempotency key makes a new order; the same key gives back the same one)'));
  say(`  curl -sS -X POST ${api}/orders ${auth} \\`);
  say(`    -H 'content-type: application/json' -H 'idempotency-key: demo-${randomUUID()}' \\`);
  say(`    -d '${JSON.stringify(SAMPLE_ORDER)}'`);
  say(dim('  # where an order stands, with its tasks in both extensions (use the orderId from the answer;'));
  say(dim('  # these are the sample order, already fulfilled)'));
  say(`  curl -sS ${auth} ${api}/orders/${orderId}`);
  say(`  curl -sS ${auth} ${api}/tasks/${taskId}`);
  say(dim('  # its receipt, from the payment provider'));
  say(`  curl -sS ${auth} ${api}/payments/${orderId}/receipt`);
  say(dim('  # cancel it: order management cancels, the payment is refunded, the receipt then says refunded'));
  say(`  curl -sS -X POST ${auth} ${api}/orders/${orderId}/cancel`);
  say(dim('  # what the fakes received, and the webhooks the provider delivered'));
  say(`  curl -sS ${oms}/__calls`);
  say(`  curl -sS ${provider}/__calls`);
  say(`  curl -sS ${provider}/__webhooks`);
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

  // All four at once, so none of them is handed out twice; the API port must be known before the fakes start.
  const [apiPort, healthPort, omsPort, providerPort] = await freePorts(4);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  say(dim(`Starting the fakes (OMS, payment provider), coordinator-api and coordinator-worker (Redis ${redisUrl}) …`));

  const fakes = await startFakes({ omsPort, providerPort, webhookUrl: `${apiUrl}${WEBHOOK_PATH}` });
  await startHosts({ redisUrl, fakes, apiUrl, apiPort, healthPort, deadline });
  say(
    dim(
      `Ready: OMS ${fakes.oms}, payment provider ${fakes.provider}, API ${apiUrl}, worker health http://127.0.0.1:${healthPort}/health/ready`,
    ),
  );
  say(`${bold('Development key')} (every scope, this run only): Authorization: Bearer ${API_KEY}`);

  const urls = { api: apiUrl, oms: fakes.oms, provider: fakes.provider };
  const flow = await guard(runSampleOrder(urls));
  printTimeline(flow);
  if (flow.receipt) printReceipt(flow.receipt);
  const ok = flow.failures.length === 0;

  if (ONCE) {
    say(dim(`DEMO_ONCE=1: ${ok ? 'flow completed' : 'flow failed'}; stopping`));
    return ok ? 0 : 1;
  }
  printHowTo(urls, flow);
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
