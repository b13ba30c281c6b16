import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { UNMATCHED_ROUTE, type ApiMetrics } from './api-metrics.js';

/** Where Prometheus scrapes the API host. */
export const METRICS_PATH = '/metrics';

/**
 * Counts every response with a Fastify `onResponse` hook, labelled with the matched
 * route pattern (`request.routeOptions.url`, e.g. `/orders/:id`) so cardinality stays
 * bounded, and serves `GET /metrics`. Both are plain Fastify, added before Nest
 * registers its routes: the hook then covers every route, and `/metrics` stays out of
 * the OpenAPI document, which lists Nest controllers only.
 */
export function mountMetrics(app: NestFastifyApplication, metrics: ApiMetrics): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // A callback hook, not an async one: Fastify makes no promise per request for it.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1_000,
    );
    done();
  });
  fastify.get(METRICS_PATH, async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.header('content-type', contentType).send(body);
  });
}
