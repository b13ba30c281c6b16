// Starts the api host as the footprint case does (traced: discard), prints ms to ready, stops it by pid.
import { spawn } from 'node:child_process';
import { generateApiKey } from '@coordinator/core/runtime';
const [mode = 'traced', ...nodeArgs] = process.argv.slice(2);
const client = generateApiKey ? generateApiKey('bench', ['orders:write']) : null;
const port = 39000 + Math.floor(Math.random() * 1000);
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_OPTIONS: '',
  COORDINATOR_EXTENSIONS: '@coordinator/extension-orders,@coordinator/extension-payments',
  COORDINATOR_API_KEYS: JSON.stringify([client.entry]), LOG_LEVEL: 'info', LOG_FORMAT: 'json', OTEL_TRACES_EXPORTER: 'none',
  RATE_LIMIT_MAX: '1000000000', QUEUE_MAX_WAITING: '1000000000', ORDERS_OMS_URL: 'http://127.0.0.1:9', PAYMENTS_PROVIDER_URL: 'http://127.0.0.1:9',
  PAYMENTS_PROVIDER_API_KEY: 'sk_test_bench', PAYMENTS_STRIPE_WEBHOOK_SECRET: 'whsec_bench',
  BENCH_HOST_BIN: 'packages/api-host/dist/bin/coordinator-api.js', BENCH_SERVICE_NAME: 'coordinator-api' };
const script = mode === 'traced' ? 'bench/lib/discard-traces.mjs' : 'packages/api-host/dist/bin/coordinator-api.js';
const t0 = performance.now();
const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ['ignore', 'ignore', 'inherit'] });
for (;;) {
  try { const r = await fetch(`http://127.0.0.1:${port}/health/ready`); if (r.status === 200) break; } catch {}
  await new Promise((r) => setTimeout(r, 10));
}
console.log(mode, Math.round(performance.now() - t0), 'ms');
child.kill('SIGTERM'); await new Promise((r) => child.on('exit', r));
