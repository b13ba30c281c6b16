import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Probes and scrapes: not worth a trace each. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\/|$|\?))/;

const SERVER_SPAN = Symbol('coordinator.serverSpan');
type TracedRequest = FastifyRequest & { [SERVER_SPAN]?: Span };

/**
 * One SERVER span per request, from Fastify's hooks: named by method and route
 * (`POST /orders`), continuing the caller's trace from its `traceparent` header, with the
 * stable HTTP semantic-convention attributes, ended when the response is sent.
 *
 * `@opentelemetry/instrumentation-http` gives the same span by patching `node:http`, and
 * binds every request and response emitter so that their events run in the span's context:
 * without it, the traced api host answers 17% more requests per second (docs/performance.md). Fastify
 * needs none of it: the span's context, entered in the first `onRequest` hook, stays the
 * request's for the rest of its lifecycle, as Fastify reads the body in an async resource
 * of the request. So every later hook, the handler (Nest's whole pipeline) and the
 * `onResponse` hooks, the request log among them, run inside the span. Mount it before any
 * other hook.
 *
 * @example
 * ```ts
 * mountServerSpans(app.getHttpAdapter().getInstance());
 * mountAuthentication(app, policies, authenticator);
 * ```
 */
export function mountServerSpans(
  fastify: FastifyInstance,
  tracer: Tracer = trace.getTracer('@coordinator/api-host'),
): void {
  fastify.addHook('onRequest', (request: TracedRequest, _reply, done) => {
    if (UNTRACED_PATHS.test(request.url)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      { kind: SpanKind.SERVER, attributes: requestAttributes(request, route) },
      parent,
    );
    request[SERVER_SPAN] = span;
    context.with(trace.setSpan(parent, span), done);
  });

  fastify.addHook('onResponse', (request: TracedRequest, reply, done) => {
    const span = request[SERVER_SPAN];
    if (!span) return done();
    request[SERVER_SPAN] = undefined;
    const status = reply.statusCode;
    span.setAttribute('http.response.status_code', status);
    // A 4xx is the client's error, not the server's (HTTP semantic conventions).
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    done();
  });

  fastify.addHook('onRequestAbort', (request: TracedRequest, done) => {
    const span = request[SERVER_SPAN];
    if (!span) return done();
    request[SERVER_SPAN] = undefined;
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the request' });
    span.end();
    done();
  });
}

function requestAttributes(request: FastifyRequest, route: string | undefined): Attributes {
  const query = request.url.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': request.method,
    'url.scheme': request.protocol,
    // The path only: a query string may carry what should not leave the host.
    'url.path': query === -1 ? request.url : request.url.slice(0, query),
    'server.address': request.hostname,
    'network.protocol.version': request.raw.httpVersion,
    'client.address': request.ip,
  };
  if (route) attributes['http.route'] = route;
  const userAgent = request.headers['user-agent'];
  if (userAgent) attributes['user_agent.original'] = userAgent;
  return attributes;
}
