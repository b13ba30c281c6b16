#!/usr/bin/env node
// `make bench`: the coordinator against its raw baselines on this machine, in one go. Starts its own
// redis-server (never the caller's REDIS_URL: runs are separated by FLUSHALL), runs every case with
// its variants alternating A B A B … over several rounds, and writes medians and the targets of
// issue 7 (met or not) to bench/results.json and bench/results.md, printing the markdown at the end.
//
//   make bench                         # = make build, then node bench/run.mjs (about 10 minutes)
//   BENCH_SMOKE=1 node bench/run.mjs   # tiny sizes, checks the harness works (results in a temp dir)
//   BENCH_CASES=enqueue BENCH_ROUNDS=1 BENCH_PROFILE_DIR=/tmp/prof node bench/run.mjs   # a CPU profile
//
// See bench/config.mjs for the other knobs. Everything listens on 127.0.0.1 only. Every process it
// starts leads its own process group and is stopped by pid (SIGTERM, then SIGKILL) after its run, on
// failure, on Ctrl-C and at the overall time limit. Exits 1 when a case failed (the others still run
// and are reported), 0 otherwise: unmet targets are reported, not failures.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { e2eCase } from './cases/e2e.mjs';
import { enqueueCase } from './cases/enqueue.mjs';
import { footprintCase } from './cases/footprint.mjs';
import { isolationCase } from './cases/isolation.mjs';
import { tasksCase } from './cases/tasks.mjs';
import { loadConfig } from './config.mjs';
import { createContext } from './lib/context.mjs';
import { killAllNow, stopAll } from './lib/processes.mjs';
import { checkTargets, machineInfo, markdown } from './lib/report.mjs';

const RUNNERS = {
  enqueue: enqueueCase,
  tasks: tasksCase,
  e2e: e2eCase,
  isolation: isolationCase,
  footprint: footprintCase,
};
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

const config = loadConfig();
const began = Date.now();
const date = new Date().toISOString();
const machine = machineInfo();
/** The whole run stops (and says so) after this, whatever hangs. */
const limitMs = (config.smoke ? 4 : 45) * 60_000;
let ctx;
let stopping = false;

async function abort(reason, code) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`bench: ${reason}: stopping every process it started\n`);
  await stopAll(2_000);
  await ctx?.close({ keepLogs: true });
  process.exit(code);
}
process.once('SIGINT', () => void abort('interrupted (SIGINT)', 130));
process.once('SIGTERM', () => void abort('terminated (SIGTERM)', 143));
process.on('exit', killAllNow);
setTimeout(() => void abort(`still running after ${limitMs / 60_000} min`, 1), limitMs).unref();

const cases = {};
const errors = [];
try {
  process.stdout.write(
    `bench: ${config.smoke ? 'SMOKE run (sizes too small to mean anything)' : 'full run'} of ${config.cases.join(', ')} ` +
      `on ${machine.cpu} ×${machine.cores}, Node.js ${machine.node}, load average ${machine.loadAverage.join(' ')}\n`,
  );
  ctx = await createContext(config);
  for (const name of config.cases) {
    ctx.tracing = config.tracing && config.tracedCases.includes(name);
    try {
      cases[name] = { ...(await RUNNERS[name](ctx)), traced: ctx.tracing };
    } catch (error) {
      if (stopping) break;
      errors.push({ case: name, message: error.message });
      ctx.say(`${name} FAILED: ${error.stack ?? error.message}`);
      await stopAll(2_000);
    }
  }
  // Interrupted: abort() stops everything and exits; a partial run must not replace the last results.
  if (stopping) await new Promise(() => {});
  const results = {
    date,
    durationSeconds: (Date.now() - began) / 1000,
    machine,
    loadAverageAfter: machineInfo().loadAverage,
    settings: {
      smoke: config.smoke,
      cases: config.cases,
      rounds: config.rounds,
      tracing: config.tracing,
      traceExport: config.tracing ? config.traceExport : undefined,
      tracedCases: config.tracing ? config.tracedCases.filter((c) => config.cases.includes(c)) : [],
      load: config.load,
      enqueue: config.enqueue,
      tasks: config.tasks,
      e2e: config.e2e,
      isolation: config.isolation,
      footprint: config.footprint,
      profiled: Boolean(config.profileDir),
      hostEnv: config.hostEnv,
      compareRoot: config.compareRoot,
      compareEnv: config.compareEnv,
    },
    targets: checkTargets(cases),
    cases,
    errors,
  };
  const outDir =
    config.outDir ?? (config.smoke ? mkdtempSync(path.join(tmpdir(), 'coordinator-bench-smoke-')) : BENCH_DIR);
  mkdirSync(outDir, { recursive: true });
  const report = markdown(results);
  writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'results.md'), report);
  process.stdout.write(`\n${report}\n`);
  ctx.say(`results in ${path.join(outDir, 'results.json')} and results.md`);
  if (errors.length) ctx.say(`${errors.length} case(s) failed; host logs kept in ${ctx.logDir}`);
  process.exitCode = errors.length ? 1 : 0;
} catch (error) {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  if (!stopping) {
    await stopAll(2_000);
    await ctx?.close({ keepLogs: errors.length > 0 });
  }
}
