#!/usr/bin/env node
// A process's CPU per request or job, by what the time was spent on (garbage collection, system
// calls, the Redis client, validation, tracing, logging…), from V8 .cpuprofiles: side by side for
// the coordinator's host and its raw baseline, it shows where the difference between them lies.
//
//   BENCH_CASES=enqueue BENCH_ROUNDS=1 BENCH_PROFILE_DIR=/tmp/prof node bench/run.mjs
//   node bench/profile-budget.mjs /tmp/prof/api-untraced/CPU.*.cpuprofile:5.3:13.3:22192 \
//                                 /tmp/prof/raw-api/CPU.*.cpuprofile:3.8:11.8:39120
//
// Each argument is `file:from:to:count`: the samples between `from` and `to` seconds after the
// profile started, divided by `count`, the requests or jobs served in that window (the bench prints
// each host's readiness and rate; for the tasks case take the window from ready to the end and
// the jobs of the run). Each frame's self time goes to the first role below it matches; the rest
// is V8's own (microtasks, compiled code without a script) and other Node built-ins.
import process from 'node:process';
import { isIdle, packageOf, readProfile } from './lib/cpu-profile.mjs';

const packagesIn =
  (...names) =>
  (frame) =>
    names.includes(frame.pkg);
const workspaceFolder = (pattern) => (frame) => frame.workspace && pattern.test(frame.url);

/** Roles in the order they are tried: a frame of the coordinator's logging code counts as logging. */
const ROLES = [
  ['garbage collection', (frame) => frame.functionName === '(garbage collector)'],
  [
    'writes to sockets and files (system calls)',
    (frame) =>
      (!frame.url || frame.url.startsWith('node:')) &&
      /^(writev|writeUtf8String|writeBuffer|writeString|writeLatin1String|writeAsciiString|writeSync)$/.test(
        frame.functionName,
      ),
  ],
  ['AsyncLocalStorage and promise hooks', (frame) => /^node:(internal\/)?async_hooks$/.test(frame.url)],
  [
    'tracing',
    (frame) =>
      frame.pkg.startsWith('@opentelemetry/') || frame.pkg === 'bullmq-otel' || workspaceFolder(/\/telemetry\//)(frame),
  ],
  [
    'logging',
    (frame) =>
      /^(pino|sonic-boom|pino-std-serializers|fast-redact)$/.test(frame.pkg) ||
      workspaceFolder(/\/(logging\/|request-log|task-logger)/)(frame),
  ],
  ['metrics', (frame) => frame.pkg === 'prom-client' || workspaceFolder(/\/metrics\//)(frame)],
  [
    'validation',
    (frame) =>
      /^(class-validator|class-transformer|validator|libphonenumber-js)$/.test(frame.pkg) ||
      workspaceFolder(/\/validation\//)(frame),
  ],
  ['authentication', workspaceFolder(/\/(auth|access)\//)],
  ['rate limit', packagesIn('@fastify/rate-limit')],
  [
    'Redis client (ioredis)',
    (frame) =>
      /^(ioredis|denque|redis-errors|redis-parser|cluster-key-slot|standard-as-callback)$/.test(frame.pkg) ||
      workspaceFolder(/coalesce-writes/)(frame),
  ],
  ['BullMQ', packagesIn('bullmq', 'msgpackr')],
  ['Nest', (frame) => frame.pkg.startsWith('@nestjs/') || frame.pkg === 'rxjs' || frame.pkg === 'reflect-metadata'],
  [
    'Fastify',
    (frame) =>
      frame.pkg === 'fastify' ||
      frame.pkg.startsWith('@fastify/') ||
      /^(find-my-way|secure-json-parse|avvio|fast-json-stringify|toad-cache|light-my-request)$/.test(frame.pkg),
  ],
  ["the coordinator's other code", (frame) => frame.workspace],
  ['bench code', (frame) => frame.pkg.startsWith('bench/')],
  [
    'Node HTTP, net and streams',
    (frame) => /^node:(_http_|http|net|internal\/(http|streams?|net|stream_base))/.test(frame.url),
  ],
  ['other Node built-ins', (frame) => frame.url.startsWith('node:')],
  ['V8 and native (microtasks, compiled code)', () => true],
];

const specs = process.argv.slice(2);
if (specs.length === 0) {
  process.stderr.write('usage: node bench/profile-budget.mjs <file.cpuprofile:from:to:count>...\n');
  process.exit(2);
}

const columns = specs.map((spec) => {
  const [file, from, to, count] = splitSpec(spec);
  const { byId, selfUs, busyUs } = readProfile(file, { fromS: from, toS: to });
  const byRole = new Map(ROLES.map(([role]) => [role, 0]));
  for (const [id, us] of selfUs) {
    const callFrame = byId.get(id).callFrame;
    if (isIdle(callFrame)) continue;
    const pkg = packageOf(callFrame.url);
    const frame = { ...callFrame, pkg, workspace: pkg.startsWith('packages/') };
    const [role] = ROLES.find(([, matches]) => matches(frame));
    byRole.set(role, byRole.get(role) + us);
  }
  return { file, count, busyUs, byRole };
});

const pct = (us, of) => `${((100 * us) / of).toFixed(0).padStart(3)}%`;
const cell = (us, column) => `${(us / column.count).toFixed(1).padStart(7)} µs ${pct(us, column.busyUs)}`;
const width = Math.max(...ROLES.map(([role]) => role.length));
for (const [i, column] of columns.entries())
  process.stdout.write(`[${i + 1}] ${column.file}, ${column.count} served\n`);
process.stdout.write(
  `\n${'CPU per request or job'.padEnd(width)}  ${columns.map((_, i) => `[${i + 1}]`.padStart(14)).join('  ')}\n`,
);
const rows = ROLES.map(([role]) => role).sort((a, b) => columns[0].byRole.get(b) - columns[0].byRole.get(a));
for (const role of rows) {
  if (columns.every((column) => column.byRole.get(role) === 0)) continue;
  process.stdout.write(`${role.padEnd(width)}  ${columns.map((c) => cell(c.byRole.get(role), c)).join('  ')}\n`);
}
process.stdout.write(`${'total (busy)'.padEnd(width)}  ${columns.map((c) => cell(c.busyUs, c)).join('  ')}\n`);

/** `file:from:to:count`; the file's own name may hold colons. */
function splitSpec(spec) {
  const parts = spec.split(':');
  const [from, to, count] = parts.slice(-3).map(Number);
  const file = parts.slice(0, -3).join(':');
  if (!file || ![from, to, count].every(Number.isFinite) || count <= 0) {
    throw new Error(`expected file:from:to:count, got ${spec}`);
  }
  return [file, from, to, count];
}
