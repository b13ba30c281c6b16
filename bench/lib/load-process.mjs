#!/usr/bin/env node
// The load generator, run as its own process so it never shares a CPU queue with the server it
// measures: `node bench/lib/load-process.mjs <config.json> <result.json>` (see autocannon-run.mjs).
//
// Closed loop (`connections` busy connections, as fast as the server answers): autocannon, with
// latencies taken from its per-response event (sub-millisecond, 2xx only) because its own
// histogram keeps whole milliseconds, too coarse for a 1-3 ms p50. `[<id>]` in a header becomes a
// fresh id per request (autocannon's idReplacement), so every request has its own Idempotency-Key.
//
// Fixed rate (`overallRate`): an open-loop sender on node:http instead. autocannon's rate limit lets
// each connection send its whole quota at the top of every second, which is a burst, not a rate;
// this one sends on a 1 ms tick whatever is due, so the server sees a steady stream, and each
// request's latency counts from when it was due (no coordinated omission).
import autocannon from 'autocannon';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { summarise } from './stats.mjs';

const [configFile, resultFile] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
const epochNow = () => performance.timeOrigin + performance.now();

function run(durationSeconds, { record }) {
  const latencies = [];
  const receipts = [];
  const statuses = {};
  const request = {
    method: config.method,
    path: config.path,
    headers: config.headers,
    body: config.body,
    ...(record && config.receipts
      ? {
          onResponse: (status, body) => {
            if (status !== 202) return;
            const at = epochNow();
            try {
              receipts.push([JSON.parse(body).taskId, at]);
            } catch {
              // Not JSON: counted by status only.
            }
          },
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: config.url,
        connections: config.connections,
        duration: durationSeconds,
        idReplacement: true,
        requests: [request],
        timeout: config.timeoutSeconds ?? 10,
      },
      (error, result) => (error ? reject(error) : resolve({ result, latencies, receipts, statuses })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (record && statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

const answered = (statuses) => Object.values(statuses).reduce((a, b) => a + b, 0);

async function closedLoop() {
  const warmup = config.warmupSeconds > 0 ? await run(config.warmupSeconds, { record: false }) : { statuses: {} };
  const { result, latencies, receipts, statuses } = await run(config.durationSeconds, { record: true });
  const latency = summarise(latencies);
  const ok = latencies.length;
  return {
    durationSeconds: result.duration,
    ok,
    rps: ok / result.duration,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
    // autocannon's own figures (whole milliseconds), kept for comparison.
    autocannon: { p50: result.latency.p50, p99: result.latency.p99, average: result.requests.average },
    statuses,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    /** Every answer, warm-up included: what the server handled while this process ran. */
    answered: answered(warmup.statuses) + answered(statuses),
    receipts: config.receipts ? receipts : undefined,
  };
}

/** Sends `rate` requests per second for `seconds`; resolves once every answer is in (or timed out). */
function openLoop(rate, seconds, { record, runId }) {
  const target = new URL(config.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
  const body = Buffer.from(config.body ?? '');
  const timeoutMs = (config.timeoutSeconds ?? 10) * 1000;
  const total = Math.round(rate * seconds);
  const latencies = [];
  const receipts = [];
  const statuses = {};
  let errors = 0;
  let timeouts = 0;
  let settled = 0;
  let sent = 0;
  let done = false;
  return new Promise((resolve) => {
    const end = () => {
      if (done) return;
      done = true;
      agent.destroy();
      const unanswered = total - settled;
      resolve({
        latencies,
        receipts,
        statuses,
        errors,
        timeouts,
        unanswered,
        elapsed: (performance.now() - start) / 1000,
      });
    };
    const finish = () => {
      if (++settled >= total) end();
    };
    const send = (i, dueAt) => {
      const headers = { 'content-length': String(body.length) };
      for (const [name, value] of Object.entries(config.headers)) {
        headers[name] = value.replaceAll('[<id>]', `${runId}-${i}`);
      }
      const request = http.request(
        { host: target.hostname, port: target.port, method: config.method, path: config.path, headers, agent },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const at = epochNow();
            const status = response.statusCode;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (record && status >= 200 && status < 300) {
              latencies.push(performance.now() - dueAt);
              if (config.receipts && status === 202) {
                try {
                  receipts.push([JSON.parse(Buffer.concat(chunks).toString('utf8')).taskId, at]);
                } catch {
                  // Not JSON: counted by status only.
                }
              }
            }
            finish();
          });
        },
      );
      let timedOut = false;
      request.setTimeout(timeoutMs, () => {
        timedOut = true;
        request.destroy(new Error('timeout'));
      });
      request.on('error', () => {
        if (timedOut) timeouts += 1;
        else errors += 1;
        finish();
      });
      request.end(body);
    };
    const start = performance.now();
    const tick = () => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((elapsed / 1000) * rate));
      while (sent < due) {
        send(sent, start + (sent * 1000) / rate);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
      // A server slower than the rate leaves requests queued here: they get a bounded time to finish,
      // then count as unanswered, so an overloaded server ends the run instead of stretching it.
      else setTimeout(end, (config.drainSeconds ?? 15) * 1000).unref();
    };
    if (total === 0) resolve({ latencies, receipts, statuses, errors, timeouts, elapsed: 0 });
    else tick();
  });
}

async function fixedRate() {
  const rate = config.overallRate;
  const warmup =
    config.warmupSeconds > 0
      ? await openLoop(rate, config.warmupSeconds, { record: false, runId: `${process.pid}w` })
      : { statuses: {} };
  const run = await openLoop(rate, config.durationSeconds, { record: true, runId: `${process.pid}m` });
  const latency = summarise(run.latencies);
  const ok = run.latencies.length;
  return {
    durationSeconds: run.elapsed,
    ok,
    // Over the time it took to get the answers: below the rate when the server could not keep up.
    rps: ok / run.elapsed,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
    statuses: run.statuses,
    non2xx: Object.entries(run.statuses)
      .filter(([status]) => status < 200 || status >= 300)
      .reduce((sum, [, count]) => sum + count, 0),
    errors: run.errors,
    timeouts: run.timeouts,
    unanswered: run.unanswered,
    answered: answered(warmup.statuses) + answered(run.statuses),
    receipts: config.receipts ? run.receipts : undefined,
  };
}

try {
  const result = config.overallRate ? await fixedRate() : await closedLoop();
  writeFileSync(resultFile, JSON.stringify(result));
} catch (error) {
  process.stderr.write(`load: ${error.stack ?? error}\n`);
  process.exitCode = 1;
}
