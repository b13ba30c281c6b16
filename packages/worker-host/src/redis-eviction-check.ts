import { redisOptionsFromUrl } from '@coordinator/core/runtime';
import { Redis } from 'ioredis';

/**
 * BullMQ keeps jobs as ordinary keys: a Redis that evicts keys under memory pressure
 * silently loses accepted work. Refuse to consume from one.
 */
export async function assertNoEviction(redisUrl: string): Promise<void> {
  const redis = new Redis({ ...redisOptionsFromUrl(redisUrl), lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('memory');
    const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis maxmemory-policy is "${policy ?? 'unknown'}"; BullMQ loses jobs unless it is "noeviction" ` +
          '(set `maxmemory-policy noeviction` in redis.conf or with CONFIG SET)',
      );
    }
  } finally {
    redis.disconnect();
  }
}
