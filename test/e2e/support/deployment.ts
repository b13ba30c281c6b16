/*
 * The deployment as operators run it: Redis, the api-host and the worker-host as
 * separate OS processes started from their built bins, with the extensions resolved
 * from the repository root. The downstream fakes run in the test process so tests can
 * read their ledgers and inject faults.
 */
import { generateApiKey } from '@coordinator/core/runtime';
import { FakeOrderManagement, FakePaymentProvider, startHostProcess, type HostProcess } from '@coordinator/testing';

/** The e2e specs poll with the testing package's helper. */
export { eventually } from '@coordinator/testing';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- plain JS helper shared with the make targets; it has no type declarations.
import { startRedis } from '../../../scripts/redis.mjs';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

export interface Deployment {
  redis: RedisHandle;
  oms: FakeOrderManagement;
  provider: FakePaymentProvider;
  api: HostProcess;
  worker: HostProcess;
  env: NodeJS.ProcessEnv;
  /** The API key of the deployment's client (orders, payments and tasks scopes); never logged. */
  apiKey: string;
  /** The JWT secret (HS256) the API host accepts tokens from; never logged. */
  jwtSecret: string;
  /** `fetch` against the API host as the deployment's client: its key in `Authorization`. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** Starts a (new) worker host process with the deployment's environment. */
  startWorker(extra?: NodeJS.ProcessEnv): Promise<HostProcess>;
  stop(): Promise<void>;
}

/** Starts everything; `redis` is the deployment's own, so a test may stop it. */
export async function startDeployment(extraEnv: NodeJS.ProcessEnv = {}): Promise<Deployment> {
  const redis = (await startRedis()) as RedisHandle;
  const oms = new FakeOrderManagement();
  const provider = new FakePaymentProvider({ webhookRetry: { attempts: 8, baseDelayMs: 100 } });
  await Promise.all([oms.start(), provider.start()]);
  const client = generateApiKey('shop', ['orders:*', 'payments:read', 'tasks:read']);
  const jwtSecret = `jwt-secret-${randomBytes(24).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    COORDINATOR_API_KEYS: JSON.stringify([client.entry]),
    AUTH_JWT_SECRET: jwtSecret,
    AUTH_JWT_ISSUER: 'https://issuer.test',
    AUTH_JWT_AUDIENCE: 'coordinator',
    REDIS_URL: redis.url,
    COORDINATOR_EXTENSIONS: '@coordinator/extension-orders,@coordinator/extension-payments',
    ORDERS_OMS_URL: oms.url,
    PAYMENTS_PROVIDER_URL: provider.url,
    PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
    PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
    PAYMENTS_DEFAULT_PAYMENT_METHOD: 'pm_card_visa',
    SHUTDOWN_GRACE_MS: '10000',
    // One client drives hundreds of orders and polls them: well above the production default.
    RATE_LIMIT_MAX: '1000000',
    ...extraEnv,
  };
  const startWorker = (extra: NodeJS.ProcessEnv = {}) =>
    startHostProcess('worker', { env: { ...env, ...extra }, cwd: repoRoot });
  const started = await Promise.allSettled([startHostProcess('api', { env, cwd: repoRoot }), startWorker()]);
  const [api, worker] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  if (!api || !worker) {
    // One host refused to start: stop what did start, so no process outlives the test.
    await Promise.all([api?.stop(), worker?.stop()]);
    await Promise.all([oms.close(), provider.close()]);
    await redis.stop();
    throw (started.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason;
  }
  provider.setWebhookUrl(`${api.url}/payments/webhooks/stripe`);
  const deployment: Deployment = {
    redis,
    oms,
    provider,
    api,
    worker,
    env,
    apiKey: client.key,
    jwtSecret,
    call: (path, init = {}) =>
      fetch(`${deployment.api.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${client.key}`, ...(init.headers as Record<string, string> | undefined) },
      }),
    startWorker,
    stop: async () => {
      await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
      await Promise.all([oms.close(), provider.close()]);
      await redis.stop();
    },
  };
  return deployment;
}
