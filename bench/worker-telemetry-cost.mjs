#!/usr/bin/env node
// What BullMQ's own telemetry costs a traced worker per job: the no-op bench task through the
// coordinator's TaskExecutor in a real BullMQ Worker, tracing on (every span recorded and dropped),
// logs off, two ways:
//   bullmq  the Worker has bullmqTelemetry(): BullMQ wraps each job's fetch, run and completion in
//           spans (left unrecorded) and restores the producer's context around the run;
//   own     the Worker has none; the executor continues the producer's context from the job
//           (JobRun.producerTrace), as the worker host does.
// Each variant runs in its own process, alternating, at concurrency 1 and 50; prints the median CPU
// µs per job. Needs a Redis (it uses its own queue and removes it):
//
//   node scripts/redis.mjs run -- node bench/worker-telemetry-cost.mjs
//   WORKER_COST_RESULT_BYTES=10000 node scripts/redis.mjs run -- node bench/worker-telemetry-cost.mjs
//                         # the task returns a result of that size (a string field) instead of the no-op's
//
// Not part of `make bench`: it isolates one layer, whose change the tasks case cannot resolve.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { envelopeMeta } from './lib/envelope-meta.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 8;
const JOBS = { 1: 4_000, 50: 10_000 };
const VARIANTS = ['bullmq', 'own'];

if (!process.env.REDIS_URL) {
  process.stderr.write('REDIS_URL is required: node scripts/redis.mjs run -- node bench/worker-telemetry-cost.mjs\n');
  process.exit(2);
}

if (process.argv[2] === '--child') {
  const [variant, concurrency] = [process.argv[3], Number(process.argv[4])];
  process.stdout.write(`${await measure(variant, concurrency, JOBS[concurrency])}\n`);
  process.exit(0);
}

for (const concurrency of [1, 50]) {
  const samples = new Map(VARIANTS.map((v) => [v, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const variant of VARIANTS) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', variant, concurrency], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      samples.get(variant).push(Number(out));
      process.stderr.write(`×${concurrency} round ${round}/${ROUNDS} ${variant}: ${Number(out).toFixed(0)} µs\n`);
    }
  }
  for (const [variant, values] of samples) {
    const sorted = [...values].sort((a, b) => a - b);
    process.stdout.write(
      `×${concurrency} ${variant}: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} µs CPU per job ` +
        `(median of ${sorted.length}; lowest ${sorted[0].toFixed(0)})\n`,
    );
  }
}

/** CPU µs per job of the worker process, from resuming the pre-filled queue to the last completion. */
async function measure(variant, concurrency, jobs) {
  const coreRequire = createRequire(`${ROOT}/packages/core/package.json`);
  const load = (path) => import(pathToFileURL(`${ROOT}/${path}`).href);
  const { Logger } = createRequire(`${ROOT}/packages/worker-host/package.json`)('@nestjs/common');
  Logger.overrideLogger(false); // the log line is the logger's cost, not telemetry's
  const telemetry = await load('packages/core/dist/runtime/telemetry/index.js');
  telemetry.provideTraceExporter({ export: (spans, done) => done({ code: 0 }), shutdown: async () => {} });
  await telemetry.startTelemetry({ serviceName: 'worker-telemetry-cost', env: { OTEL_TRACES_EXPORTER: 'none' } });
  const runtime = await load('packages/core/dist/runtime/index.js');
  const extension = (await load('bench/extension/bench-extension.mjs')).default;
  const { Queue, Worker } = coreRequire('bullmq');

  const registry = new runtime.ExtensionRegistry([extension]);
  const [task] = extension.tasks;
  const resultBytes = Number(process.env.WORKER_COST_RESULT_BYTES ?? 0);
  const handler = resultBytes > 0 ? { run: async () => ({ text: 'x'.repeat(resultBytes) }) } : new task.handler();
  const executor = new runtime.TaskExecutor(registry, () => handler, new runtime.InlineTransport(registry));
  const connection = { url: process.env.REDIS_URL };
  const name = `worker-telemetry-cost-${process.pid}`;
  const prefix = '{bench-cost}';
  const queue = new Queue(name, { connection, prefix, telemetry: runtime.bullmqTelemetry() });
  await queue.pause();
  const meta = envelopeMeta(extension, task);
  for (let added = 0; added < jobs; added += 500) {
    await queue.addBulk(
      Array.from({ length: 500 }, (_, i) => ({
        name: task.name,
        data: { payload: { ref: `r-${added + i}` }, meta },
        opts: { removeOnComplete: true },
      })),
    );
  }
  let completed = 0;
  let allDone;
  const finished = new Promise((resolve) => (allDone = resolve));
  const worker = new Worker(
    name,
    (job) =>
      executor.execute({
        taskId: job.id,
        name: job.name,
        data: job.data,
        attempt: job.attemptsMade + 1,
        maxAttempts: 1,
        producerTrace: variant === 'own' ? job.opts.telemetry?.metadata : undefined,
      }),
    { connection, prefix, concurrency, telemetry: variant === 'bullmq' ? runtime.bullmqTelemetry() : undefined },
  );
  worker.on('completed', () => ++completed === jobs && allDone());
  worker.on('failed', (job, error) => {
    process.stderr.write(`job failed: ${error.message}\n`);
    process.exit(1);
  });
  await worker.waitUntilReady();
  const before = process.cpuUsage();
  await queue.resume();
  await finished;
  const used = process.cpuUsage(before);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return (used.user + used.system) / jobs;
}
