import type { RedisOptions as BullMqRedisOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';

/**
 * Key prefix of every queue. The braces are a Redis Cluster hash tag: all of a
 * deployment's queue keys land in one slot, which BullMQ's multi-key scripts need.
 */
export const DEFAULT_QUEUE_PREFIX = '{coordinator}';

/** ioredis options from a `redis://` or `rediss://` URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${parsed.protocol})`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * Options for connections that enqueue on behalf of an HTTP request. They fail fast:
 * with Redis down a command is rejected at once instead of waiting in ioredis' offline
 * queue, so the API answers 503 instead of hanging or answering 202 for nothing.
 */
export function producerRedisOptions(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  };
}

/**
 * Options for BullMQ workers: blocking reads must wait through reconnects rather than
 * error (BullMQ requires `maxRetriesPerRequest: null`).
 */
export function workerRedisOptions(url: string): BullMqRedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
}
