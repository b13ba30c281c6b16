#!/usr/bin/env node
// The enqueue baseline: what a team would write without the coordinator. Fastify (the version the
// api-host runs on), a handler that validates the body by hand and calls `queue.add` once, with the
// Idempotency-Key riding on the job id. No auth, no logging, no tracing, no metrics.
//
//   PORT=… REDIS_URL=… node bench/baselines/raw-api.mjs
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

// Resolved from the api-host, so the baseline runs the same fastify, bullmq and ioredis builds.
const fromApiHost = createRequire(new URL('../../packages/api-host/package.json', import.meta.url));
const load = async (name) => import(pathToFileURL(fromApiHost.resolve(name)).href);
const [{ default: Fastify }, { Queue }, { Redis }] = await Promise.all([
  load('fastify'),
  load('bullmq'),
  load('ioredis'),
]);

const PREFIX = process.env.COORDINATOR_PREFIX || '{coordinator}';
const url = new URL(process.env.REDIS_URL);
const connection = new Redis({ host: url.hostname, port: Number(url.port), maxRetriesPerRequest: 1 });
const orders = new Queue('orders', { connection, prefix: PREFIX });
const bench = new Queue('bench', { connection, prefix: PREFIX });
const JOB_OPTIONS = { attempts: 8, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };

const CURRENCY = /^[A-Z]{3}$/;
const SKU = /^[A-Za-z0-9._-]+$/;
const PAYMENT_METHOD = /^pm_[A-Za-z0-9_]{1,64}$/;
const KEY = /^[\x21-\x7e]{8,128}$/;
const isInt = (v, min, max) => Number.isInteger(v) && v >= min && v <= max;
const isText = (v, min, max) => typeof v === 'string' && v.length >= min && v.length <= max;

/** The checks CreateOrderBody and OrderLine declare, written out. */
function orderProblems(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be an object'];
  const problems = [];
  if (!isText(body.customerId, 1, 64)) problems.push('customerId');
  if (typeof body.currency !== 'string' || !CURRENCY.test(body.currency)) problems.push('currency');
  if (body.paymentMethod !== undefined && !PAYMENT_METHOD.test(String(body.paymentMethod))) {
    problems.push('paymentMethod');
  }
  if (!Array.isArray(body.lines) || body.lines.length < 1 || body.lines.length > 100) problems.push('lines');
  else
    body.lines.forEach((line, i) => {
      if (typeof line !== 'object' || line === null || Array.isArray(line)) return problems.push(`lines.${i}`);
      if (!isText(line.sku, 1, 64) || !SKU.test(line.sku)) problems.push(`lines.${i}.sku`);
      if (!isInt(line.quantity, 1, 10_000)) problems.push(`lines.${i}.quantity`);
      if (!isInt(line.unitPrice, 0, 100_000_000)) problems.push(`lines.${i}.unitPrice`);
    });
  const known = new Set(['customerId', 'currency', 'lines', 'paymentMethod']);
  for (const field of Object.keys(body)) if (!known.has(field)) problems.push(`${field} is not allowed`);
  return problems;
}

const app = Fastify({ logger: false });

app.get('/health/ready', async (_request, reply) => {
  await connection.ping();
  return reply.send({ status: 'ok' });
});

app.post('/orders', async (request, reply) => {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY.test(key)) return reply.code(400).send({ message: ['Idempotency-Key'] });
  const problems = orderProblems(request.body);
  if (problems.length) return reply.code(400).send({ message: problems });
  const orderId = randomUUID();
  const job = await orders.add(
    'orders.submit',
    { payload: { ...request.body, orderId }, meta: { task: 'orders.submit', enqueuedAt: new Date().toISOString() } },
    { ...JOB_OPTIONS, jobId: `orders.submit.${key}` },
  );
  return reply.code(202).send({ orderId, taskId: job.id, statusUrl: `/tasks/${job.id}` });
});

app.post('/bench/tasks', async (request, reply) => {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY.test(key)) return reply.code(400).send({ message: ['Idempotency-Key'] });
  const ref = request.body?.ref;
  if (!isText(ref, 1, 128)) return reply.code(400).send({ message: ['ref'] });
  const job = await bench.add(
    'bench.noop',
    { payload: { ref }, meta: { task: 'bench.noop', enqueuedAt: new Date().toISOString() } },
    { attempts: 1, removeOnComplete: { age: 24 * 3600 }, jobId: `bench.noop.${key}` },
  );
  return reply.code(202).send({ taskId: job.id, statusUrl: `/tasks/${job.id}` });
});

let closing;
const close = () =>
  (closing ??= (async () => {
    await app.close();
    await Promise.allSettled([orders.close(), bench.close()]);
    connection.disconnect();
    process.exit(0);
  })());
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
