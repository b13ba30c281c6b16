/*
 * The hosts refuse to start, with one message naming the culprit, when their
 * configuration or their Redis cannot work. Each case runs the real bin.
 */
import { startHostProcess } from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- plain JS helper shared with the make targets; it has no type declarations.
import { startRedis } from '../../scripts/redis.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const extensions = '@coordinator/extension-orders,@coordinator/extension-payments';

async function refusal(kind: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<string> {
  const error = await startHostProcess(kind, { env, cwd: repoRoot, readyTimeoutMs: 15_000 }).then(
    async (host) => {
      await host.stop();
      throw new Error(`${kind} started although it should have refused`);
    },
    (e: unknown) => e as Error,
  );
  expect(error.message).toContain('exited with 1 before it was ready');
  return error.message;
}

describe('host startup refusals', () => {
  const base = () => ({
    REDIS_URL: process.env.REDIS_URL!,
    COORDINATOR_EXTENSIONS: extensions,
    ORDERS_OMS_URL: 'http://127.0.0.1:9',
    PAYMENTS_PROVIDER_URL: 'http://127.0.0.1:9',
    PAYMENTS_PROVIDER_API_KEY: 'sk_test_unused',
    PAYMENTS_STRIPE_WEBHOOK_SECRET: 'whsec_unused',
  });

  it('names a bad environment variable', async () => {
    expect(await refusal('api', { ...base(), PORT: 'eighty' })).toContain('PORT="eighty"');
    expect(await refusal('worker', { ...base(), ORDERS_OMS_URL: 'not a url' })).toContain('ORDERS_OMS_URL="not a url"');
  });

  it('names an extension that cannot be loaded', async () => {
    expect(await refusal('api', { ...base(), COORDINATOR_EXTENSIONS: '@coordinator/extension-orders' })).toContain(
      'signal "order.placed" of extension "orders" has no handler',
    );
    expect(
      await refusal('worker', { ...base(), COORDINATOR_EXTENSIONS: `${extensions},left-pad-extension` }),
    ).toContain('extension "left-pad-extension" cannot be resolved');
  });

  it('refuses to run the API without credentials, or with a key configured in clear', async () => {
    expect(await refusal('api', base())).toContain('no credentials configured');
    const inClear = JSON.stringify([{ id: 'shop', sha256: 'cck_not-a-hash', scopes: ['orders:write'] }]);
    const message = await refusal('api', { ...base(), COORDINATOR_API_KEYS: inClear });
    expect(message).toContain("COORDINATOR_API_KEYS[0].sha256 must be the key's SHA-256");
    expect(message).not.toContain('cck_not-a-hash');
  });

  it('names a queue no loaded extension uses', async () => {
    expect(await refusal('worker', { ...base(), COORDINATOR_QUEUES: 'orders,shipping' })).toContain(
      'COORDINATOR_QUEUES names shipping',
    );
  });

  describe('with a Redis that evicts keys', () => {
    let redis: { url: string; stop(): Promise<void> };
    beforeAll(async () => {
      redis = await startRedis();
      const client = new Redis(redis.url);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      client.disconnect();
    });
    afterAll(() => redis?.stop());

    it('the worker refuses to consume', async () => {
      expect(await refusal('worker', { ...base(), REDIS_URL: redis.url })).toContain(
        'Redis maxmemory-policy is "allkeys-lru"; BullMQ loses jobs unless it is "noeviction"',
      );
    });
  });
});
