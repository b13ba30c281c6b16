#!/usr/bin/env node
// The task baseline: a plain BullMQ Worker with a no-op processor (it returns when it started,
// as the bench extension's handler does), on the same queue, prefix and concurrency the
// worker-host would use. A tiny health port answers once the worker is connected.
//
//   QUEUE=bench CONCURRENCY=50 HEALTH_PORT=… REDIS_URL=… node bench/baselines/raw-worker.mjs
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const fromWorkerHost = createRequire(new URL('../../packages/worker-host/package.json', import.meta.url));
const { Worker } = await import(pathToFileURL(fromWorkerHost.resolve('bullmq')).href);

const url = new URL(process.env.REDIS_URL);
const worker = new Worker(
  process.env.QUEUE || 'bench',
  async () => ({ startedAt: performance.timeOrigin + performance.now() }),
  {
    connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
    prefix: process.env.COORDINATOR_PREFIX || '{coordinator}',
    concurrency: Number(process.env.CONCURRENCY || 10),
  },
);
worker.on('error', (error) => process.stderr.write(`worker: ${error.message}\n`));
await worker.waitUntilReady();

const health = createServer((request, response) => {
  const ok = request.url === '/health/ready' && worker.isRunning();
  response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ status: ok ? 'ok' : 'error' }));
});
health.listen(Number(process.env.HEALTH_PORT ?? 0), '127.0.0.1');

let closing;
const close = () =>
  (closing ??= (async () => {
    health.close();
    await worker.close();
    process.exit(0);
  })());
process.once('SIGTERM', close);
process.once('SIGINT', close);
