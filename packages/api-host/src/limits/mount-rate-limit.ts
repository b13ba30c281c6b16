import { BullMqTransport, coalesceWrites, loadSettings, type TaskTransport } from '@coordinator/core/runtime';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { METRICS_PATH } from '../metrics/mount-metrics.js';
import { RateLimitSettings } from './rate-limit.settings.js';

/** A limiter command slower than this lets the request through rather than hold it up. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Limits each caller to `RATE_LIMIT_MAX` requests per `RATE_LIMIT_WINDOW_MS` with
 * `@fastify/rate-limit`; past it, 429 with `Retry-After` and a body naming the limit.
 * The budget belongs to the authenticated principal (`key:checkout`), or to the client
 * IP on public routes, and lives in Redis under the coordinator's key prefix when the
 * transport is BullMQ, so all replicas share it (in memory otherwise). Health checks
 * and `GET /metrics` are exempt.
 *
 * The limiter fails open: when Redis does not answer, requests go on and the queue,
 * which needs the same Redis, answers 503 itself. Call after `mountAuthentication` and
 * before `app.init()`; its per-route hook runs after every global `onRequest` hook
 * (Fastify runs instance hooks first), so it sees the principal, and requests already
 * refused with 401/403 do not spend the budget.
 *
 * @example
 * ```ts
 * mountAuthentication(app, policies, authenticator);
 * await mountRateLimit(app, transport, env);
 * ```
 */
export async function mountRateLimit(
  app: NestFastifyApplication,
  transport: TaskTransport,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const { RATE_LIMIT_MAX: max, RATE_LIMIT_WINDOW_MS: windowMs } = loadSettings(RateLimitSettings, env);
  if (max === 0) return;
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const store = transport instanceof BullMqTransport ? sharedStore(fastify, transport) : {};
  // `await` loads the plugin now, so its `onRoute` hook sees every route mounted after it.
  await fastify.register(fastifyRateLimit, {
    max,
    timeWindow: windowMs,
    hook: 'onRequest',
    skipOnError: true,
    ...store,
    keyGenerator: (request) => request.principal?.id ?? `ip:${normalizeIP(request.ip)}`,
    allowList: (request) => exempt(request),
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new Error(
          `rate limit exceeded: ${context.max} requests per ${windowMs / 1000} s; retry in ${Math.ceil(context.ttl / 1000)} s`,
        ),
        { statusCode: context.statusCode },
      ),
  });
}

/** The plugin's Redis store, on the transport's Redis and under its key prefix. */
function sharedStore(fastify: FastifyInstance, transport: BullMqTransport) {
  // Its own connection, for a command timeout the shared one cannot have: a half-open or
  // overloaded Redis must not hold every request in this hook. Commands may wait for a
  // connection (so the first requests after startup are counted too), but never longer than that.
  const redis = transport.redis.duplicate({ commandTimeout: REDIS_COMMAND_TIMEOUT_MS, enableOfflineQueue: true });
  redis.on('error', () => undefined);
  // Requests that arrive together send their counts in one socket write.
  coalesceWrites(redis);
  fastify.addHook('onClose', async () => redis.disconnect());
  return { redis, nameSpace: `${transport.prefix}:rate-limit:` };
}

/** Probes and scrapes come from infrastructure on a schedule; refusing them would look like an outage. */
function exempt(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  return url === METRICS_PATH || url === '/health' || url?.startsWith('/health/') === true;
}
