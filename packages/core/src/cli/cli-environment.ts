import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ExtensionRegistry } from '../runtime/extension-registry.js';
import { HostSettings, WiringEnvironment } from '../runtime/host-settings.js';
import { loadRegistry, type WiringSettings } from '../runtime/load-registry.js';
import { producerRedisOptions } from '../runtime/redis-options.js';
import { loadSettings, SettingsError } from '../runtime/settings.js';
import { ConfigurationError, RedisUnreachableError, type CliIo } from './command.js';
import { redactUrl } from './format.js';

/** The wiring settings of the environment; throws {@link ConfigurationError} naming each bad variable. */
export function wiringSettings(io: CliIo): WiringEnvironment {
  return settingsOf(WiringEnvironment, io);
}

/** The hosts' own settings (Redis, prefix, wiring); throws {@link ConfigurationError} naming each bad variable. */
export function hostSettings(io: CliIo): HostSettings {
  return settingsOf(HostSettings, io);
}

function settingsOf<T extends object>(cls: new () => T, io: CliIo): T {
  try {
    return loadSettings(cls, io.env ?? process.env);
  } catch (error) {
    if (error instanceof SettingsError) throw new ConfigurationError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Loads the configured extensions from `io.cwd` and checks their wiring, exactly as the
 * hosts do; throws `ExtensionLoadError` naming every culprit. Warnings go to `io.err`.
 */
export function loadCliRegistry(settings: WiringSettings, io: CliIo): Promise<ExtensionRegistry> {
  return loadRegistry(settings, { cwd: io.cwd, warn: (message) => io.err(`coordinator: warning: ${message}`) });
}

/** A fail-fast connection and the BullMQ queues opened on it. */
export interface RedisSession {
  readonly redis: Redis;
  readonly prefix: string;
  /** The BullMQ queue of that name under the deployment's prefix (opened on first use). */
  queue(name: string): Queue;
}

const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Connects to `REDIS_URL` with the producers' fail-fast options (no offline queue, no
 * reconnecting), runs `work`, and always disconnects. When Redis cannot be reached, or
 * goes away during the work, throws {@link RedisUnreachableError}.
 */
export async function withRedis<T>(settings: HostSettings, work: (session: RedisSession) => Promise<T>): Promise<T> {
  let lastError: Error | undefined;
  const redis = new Redis({
    ...producerRedisOptions(settings.REDIS_URL),
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', (error: Error) => (lastError = error));
  const unreachable = (error: unknown) =>
    new RedisUnreachableError(
      `cannot reach Redis at REDIS_URL=${redactUrl(settings.REDIS_URL)} (${(lastError ?? (error as Error)).message})`,
    );
  const queues = new Map<string, Queue>();
  const session: RedisSession = {
    redis,
    prefix: settings.COORDINATOR_PREFIX,
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: redis, prefix: settings.COORDINATOR_PREFIX });
        queue.on('error', () => undefined);
        queues.set(name, queue);
      }
      return queue;
    },
  };
  try {
    try {
      await withTimeout(redis.connect(), CONNECT_TIMEOUT_MS);
    } catch (error) {
      throw unreachable(error);
    }
    try {
      return await work(session);
    } catch (error) {
      if (redis.status !== 'ready') throw unreachable(error);
      throw error;
    }
  } finally {
    if (redis.status === 'ready') {
      await Promise.race([
        Promise.allSettled([...queues.values()].map((queue) => queue.close())),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
    }
    // Once ended (a refused connection), disconnecting again would only start ioredis'
    // 2 s timer for a stream that is gone, keeping the process alive for nothing.
    if (redis.status !== 'end') redis.disconnect();
  }
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
