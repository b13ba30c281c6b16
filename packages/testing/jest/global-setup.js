// One Redis for the whole jest run. Jest runs this in its main process before it spawns workers,
// so the REDIS_URL set here is inherited by every test file. A REDIS_URL given by the caller
// (CI service, `node scripts/redis.mjs run -- …`) is used as is.
import process from 'node:process';

export default async function globalSetup() {
  if (process.env.REDIS_URL) return;
  const { startRedis } = await import(new URL('../../../scripts/redis.mjs', import.meta.url).href);
  const redis = await startRedis();
  globalThis.__COORDINATOR_REDIS__ = redis;
  process.env.REDIS_URL = redis.url;
  process.env.COORDINATOR_TEST_REDIS_EMBEDDED = '1';
}
