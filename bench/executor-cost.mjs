#!/usr/bin/env node
// The worker's own cost per job, without Redis or BullMQ: the bench extension's no-op task run
// through TaskExecutor (payload check, span, deadline, handler, outcome), 50 at a time, logs off.
// Each checkout runs in its own process, alternating, 5 rounds; prints the median CPU µs per job.
//
//   node bench/executor-cost.mjs                 # this checkout
//   node bench/executor-cost.mjs /tmp/before .   # an earlier build against this one
//   EXECUTOR_COST_READ_SIGNAL=1 node bench/executor-cost.mjs   # the handler reads ctx.signal, as
//                                                               # one calling a downstream does
//
// The checkouts must be built (pnpm build). Not part of `make bench`: it isolates one layer to
// measure a change to it, where the tasks case's figures move by more than the change between runs.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { envelopeMeta } from './lib/envelope-meta.mjs';

const JOBS = 100_000;
const WARM_UP = 20_000;
const ROUNDS = 5;
const CONCURRENCY = 50;

if (process.argv[2] === '--child') {
  const root = process.argv[3];
  process.stdout.write(`${await measure(root)}\n`);
} else {
  const roots = (process.argv.length > 2 ? process.argv.slice(2) : ['.']).map((r) => resolve(r));
  const samples = new Map(roots.map((root) => [root, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const root of roots) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', root], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      samples.get(root).push(Number(out));
      process.stderr.write(`round ${round}/${ROUNDS} ${root}: ${Number(out).toFixed(1)} µs\n`);
    }
  }
  for (const [root, values] of samples) {
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    process.stdout.write(`${root}: ${median.toFixed(1)} µs CPU per job (median of ${values.length})\n`);
  }
}

/** CPU µs per job of the no-op task through the checkout's executor. */
async function measure(root) {
  const { Logger } = createRequire(`${root}/packages/worker-host/package.json`)('@nestjs/common');
  Logger.overrideLogger(false); // the log line's cost is the logger's, measured by the tasks case
  const runtime = await import(pathToFileURL(`${root}/packages/core/dist/runtime/index.js`).href);
  const extension = (await import(pathToFileURL(`${root}/bench/extension/bench-extension.mjs`).href)).default;
  const registry = new runtime.ExtensionRegistry([extension]);
  const [task] = extension.tasks;
  const noop = new task.handler();
  const handler =
    process.env.EXECUTOR_COST_READ_SIGNAL === '1'
      ? { run: (payload, ctx) => (ctx.signal.aborted ? Promise.reject(ctx.signal.reason) : noop.run(payload, ctx)) }
      : noop;
  const executor = new runtime.TaskExecutor(registry, () => handler, new runtime.InlineTransport(registry));
  const shutdownSignal = new AbortController().signal; // as the worker pool hands every run
  const meta = envelopeMeta(extension, task);
  let id = 0;
  const runOne = () => {
    id += 1;
    return executor.execute({
      taskId: `${task.name}.${id}`,
      name: task.name,
      attempt: 1,
      maxAttempts: 1,
      shutdownSignal,
      data: { payload: { ref: `r-${id}` }, meta },
    });
  };
  const runMany = async (count) => {
    for (let done = 0; done < count; done += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, runOne));
    }
  };
  await runMany(WARM_UP);
  const before = process.cpuUsage();
  await runMany(JOBS);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / JOBS;
}
