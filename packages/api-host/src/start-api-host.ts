import {
  BullMqTransport,
  installHostLogger,
  loadRegistry,
  loadSettings,
  ObserverList,
  WorkerHeartbeats,
} from '@coordinator/core/runtime';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiHostSettings } from './api-host.settings.js';
import { createApiHost } from './create-api-host.js';
import { logRequests } from './request-log.js';
import { ApiMetrics } from './metrics/api-metrics.js';

/**
 * A running API host started from environment variables.
 *
 * @example
 * ```ts
 * const host = await startApiHost();
 * console.log(host.url);
 * await host.close();
 * ```
 */
export interface RunningApiHost {
  app: NestFastifyApplication;
  url: string;
  settings: ApiHostSettings;
  /** Stops accepting, lets in-flight requests finish, then closes the queues. */
  close(): Promise<void>;
}

/**
 * Reads the environment, loads the configured extensions (resolved from `cwd`), and
 * starts listening. Throws `SettingsError` or `ExtensionLoadError` with a message
 * that names the culprit.
 *
 * @example
 * ```ts
 * await startApiHost({ env: { ...process.env, PORT: '0' } });
 * ```
 */
export async function startApiHost(options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunningApiHost> {
  const env = options.env ?? process.env;
  const settings = loadSettings(ApiHostSettings, env);
  // JSON lines (LOG_LEVEL, LOG_FORMAT) for every Nest logger from here on.
  const hostLogger = installHostLogger('coordinator-api', settings, env);
  const logger = new Logger('ApiHost');
  const registry = await loadRegistry(settings, { cwd: options.cwd, warn: (message) => logger.warn(message) });
  const extensions = registry.extensions;
  const metrics = settings.METRICS_ENABLED ? new ApiMetrics(registry) : undefined;
  const transport = new BullMqTransport(registry, {
    redisUrl: settings.REDIS_URL,
    prefix: settings.COORDINATOR_PREFIX,
    observers: metrics && new ObserverList([metrics.enqueued]),
  });
  metrics?.watchQueues((queue, states) => transport.queue(queue).getJobCounts(...states));
  metrics?.watchWorkers(new WorkerHeartbeats(transport.redis, settings.COORDINATOR_PREFIX));
  const app = await createApiHost({ registry, transport, env, metrics, logger: hostLogger });
  logRequests(app);
  await app.listen({ port: settings.PORT, host: settings.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const url = `http://${settings.HOST === '0.0.0.0' ? '127.0.0.1' : settings.HOST}:${port}`;
  logger.log(`listening on ${url} with extensions ${extensions.map((e) => `${e.name}@${e.version}`).join(', ')}`);
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    settings,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await transport.close();
      })()),
  };
}
