import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Probes and scrapes: logged at debug level only. */
const QUIET_ROUTES = /^\/(health\/|metrics$)/;

/**
 * One log record per answered request: method, route (the pattern, such as
 * `/orders/:id`, never the query string), status and duration in milliseconds. Server
 * errors are logged as errors. Call it before the app listens.
 *
 * @example
 * ```ts
 * logRequests(app);
 * await app.listen({ port: 3000 });
 * ```
 */
export function logRequests(app: NestFastifyApplication): void {
  const logger = new Logger('HTTP');
  app
    .getHttpAdapter()
    .getInstance()
    // A callback hook, not an async one: Fastify makes no promise per request for it.
    .addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? request.url.split('?')[0]!;
      const status = reply.statusCode;
      const fields = { method: request.method, route, status, durationMs: Math.round(reply.elapsedTime * 10) / 10 };
      const message = `${request.method} ${route} ${status}`;
      if (status >= 500) logger.error(message, fields);
      else if (QUIET_ROUTES.test(route)) logger.debug(message, fields);
      else logger.log(message, fields);
      done();
    });
}
