// Runs one load against a server from a separate process (load-process.mjs) and returns its
// figures: { rps, ok, latencyMs: { p50, p90, p99, max }, statuses, non2xx, errors, timeouts, receipts? }.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { describeExit, startProcess } from './processes.mjs';

const LOAD_SCRIPT = fileURLToPath(new URL('./load-process.mjs', import.meta.url));
let runs = 0;

/**
 * @param {object} ctx the run's context (logDir, childEnv)
 * @param {{ url: string, method: string, path: string, headers: object, body?: string, connections: number,
 *   durationSeconds: number, warmupSeconds?: number, overallRate?: number, receipts?: boolean }} load
 */
export async function runLoad(ctx, load) {
  const id = `${process.pid}-${++runs}`;
  const configFile = path.join(ctx.logDir, `load-${id}.json`);
  const resultFile = path.join(ctx.logDir, `load-${id}.result.json`);
  writeFileSync(configFile, JSON.stringify(load));
  const proc = startProcess({
    label: 'autocannon',
    args: [LOAD_SCRIPT, configFile, resultFile],
    env: ctx.childEnv,
    logDir: ctx.logDir,
  });
  const limitMs = ((load.warmupSeconds ?? 0) + load.durationSeconds) * 1000 + 30_000;
  const timer = setTimeout(() => void proc.stop(2_000), limitMs);
  const status = await proc.exited;
  clearTimeout(timer);
  await proc.stop();
  if (status.code !== 0) throw new Error(`the load generator ${describeExit(status)}:\n${proc.tail()}`);
  return JSON.parse(readFileSync(resultFile, 'utf8'));
}

/** `POST /orders` as a shop would send it; `[<id>]` makes each request's key unique. */
export const ORDER_BODY = JSON.stringify({
  customerId: 'c-bench',
  currency: 'EUR',
  lines: [
    { sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 },
    { sku: 'MUG-01', quantity: 1, unitPrice: 899 },
  ],
  paymentMethod: 'pm_card_visa',
});

export function orderRequest(url, apiKey) {
  return {
    url,
    method: 'POST',
    path: '/orders',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      'idempotency-key': 'bench-[<id>]',
    },
    body: ORDER_BODY,
  };
}
