import type { ExtensionRegistry, TaskTransport } from '@coordinator/core/runtime';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiHostModule } from './api-host.module.js';
import type { ApiMetrics } from './metrics/api-metrics.js';
import { mountMetrics } from './metrics/mount-metrics.js';
import { mountQueueDashboard } from './dashboard/queue-dashboard.js';
import { mountOpenApi } from './openapi/mount-openapi.js';

/**
 * Options of {@link createApiHost}.
 *
 * @example
 * ```ts
 * const options: CreateApiHostOptions = { registry, transport };
 * ```
 */
export interface CreateApiHostOptions {
  registry: ExtensionRegistry;
  /** Where dispatches go. The caller owns it and closes it after the app. */
  transport: TaskTransport;
  env?: NodeJS.ProcessEnv;
  /** A Nest logger, log levels, or `false` for silence (tests). */
  logger?: LoggerService | LogLevel[] | false;
  /** Request metrics and `GET /metrics`; none when left out. */
  metrics?: ApiMetrics;
}

/**
 * Builds the API host application (not yet listening).
 *
 * @example
 * ```ts
 * const app = await createApiHost({ registry, transport });
 * await app.listen({ port: 3000, host: '0.0.0.0' });
 * ```
 */
export async function createApiHost(options: CreateApiHostOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Answer 503 to new requests while closing, so load balancers move on at once.
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiHostModule.forRoot({ registry: options.registry, transport: options.transport, env: options.env }),
    adapter,
    // Raw bodies stay available (`req.rawBody`) for webhook signatures, which are computed over the exact bytes.
    { logger: options.logger ?? ['log', 'warn', 'error'], abortOnError: false, rawBody: true },
  );
  // `/metrics` and the request-metrics hook: plain Fastify, before any route is mounted.
  if (options.metrics) mountMetrics(app, options.metrics);
  // `/admin/queues` (BullMQ only) and `/docs`: plain Fastify routes, mounted before init.
  const env = options.env ?? process.env;
  try {
    await mountQueueDashboard(app, options.registry, options.transport, env);
    mountOpenApi(app, options.registry, env);
  } catch (error) {
    await app.close();
    throw error;
  }
  await app.init();
  return app;
}
