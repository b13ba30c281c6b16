// Stops the Redis that global-setup.js started (and only that one).
import process from 'node:process';

export default async function globalTeardown() {
  const redis = globalThis.__COORDINATOR_REDIS__;
  if (!redis) return;
  delete globalThis.__COORDINATOR_REDIS__;
  // Unset so a watch-mode re-run starts a fresh Redis instead of pointing at this stopped one.
  delete process.env.REDIS_URL;
  delete process.env.COORDINATOR_TEST_REDIS_EMBEDDED;
  await redis.stop();
}
