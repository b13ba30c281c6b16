import { loadSettings, type ExtensionRegistry, type TaskTransport } from '@coordinator/core/runtime';
import { activeTelemetry } from '@coordinator/core/runtime/telemetry';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminController } from './admin/admin.controller.js';
import { ApiHostModule } from './api-host.module.js';
import type { Authenticator } from './auth/authenticator.js';
import { createAuthenticator } from './auth/create-authenticator.js';
import { mountAuthentication } from './auth/mount-authentication.js';
import { mountPrincipalScope } from './auth/principal-scope.js';
import { AuthSettings } from './auth/auth.settings.js';
import { RoutePolicies } from './auth/route-policies.js';
import { HealthController } from './health/health.controller.js';
import { mountRateLimit } from './limits/mount-rate-limit.js';
import { mountBodyDepthLimit } from './limits/body-depth-limit.js';
import { RequestLimitsSettings } from './limits/request-limits.settings.js';
import { TasksController } from './tasks/tasks.controller.js';
import type { ApiMetrics } from './metrics/api-metrics.js';
import { mountMetrics } from './metrics/mount-metrics.js';
import { mountQueueDashboard } from './dashboard/queue-dashboard.js';
import { mountOpenApi } from './openapi/mount-openapi.js';
import { mountServerSpans } from './telemetry/server-spans.js';

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
  /** Who may call; by default built from the environment (`COORDINATOR_API_KEYS`, `AUTH_JWT_*`). */
  authenticator?: Authenticator;
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
  const env = options.env ?? process.env;
  const limits = loadSettings(RequestLimitsSettings, env);
  // Every route is checked now: a route without an access rule stops the host here.
  const policies = RoutePolicies.build(
    options.registry,
    [TasksController, HealthController, AdminController],
    !loadSettings(AuthSettings, env).METRICS_REQUIRE_AUTH,
  );
  const authenticator = options.authenticator ?? createAuthenticator(env);
  for (const route of policies.routes) {
    if (route.policy.kind === 'public' && route.owner !== 'coordinator') {
      new Logger('Auth').log(`${route.method} ${route.path} is public (${route.owner}): ${route.policy.reason}`);
    }
  }
  const adapter = new FastifyAdapter({
    // Answer 503 to new requests while closing, so load balancers move on at once.
    return503OnClosing: true,
    // Larger bodies are answered 413 from their Content-Length, before they are read.
    bodyLimit: limits.BODY_LIMIT_BYTES,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiHostModule.forRoot({ registry: options.registry, transport: options.transport, env: options.env }),
    adapter,
    // Raw bodies stay available (`req.rawBody`) for webhook signatures, which are computed over the exact bytes.
    { logger: options.logger ?? ['log', 'warn', 'error'], abortOnError: false, rawBody: true },
  );
  // Traced, every request is a server span, and every hook after this one runs inside it.
  if (activeTelemetry()) mountServerSpans(app.getHttpAdapter().getInstance());
  // Authentication first: its hooks must see every route mounted after it.
  mountAuthentication(app, policies, authenticator);
  // Handlers run as their caller: what they dispatch is the caller's, what they read too.
  mountPrincipalScope(app);
  // Bodies nested deeper than any DTO needs are refused before validation recurses into them.
  mountBodyDepthLimit(app);
  // Per caller, in Redis; its hook runs after authentication's, so it sees the principal.
  await mountRateLimit(app, options.transport, env);
  // `/metrics` and the request-metrics hook: plain Fastify, before any route is mounted.
  if (options.metrics) mountMetrics(app, options.metrics);
  // `/admin/queues` (BullMQ only) and `/docs`: plain Fastify routes, mounted before init.
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
