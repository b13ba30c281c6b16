import { scopeGranted, type Principal } from '@coordinator/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Authenticator } from './authenticator.js';
import { CredentialError } from './credential-error.js';
import type { RoutePolicies, RoutePolicy } from './route-policies.js';

/** A route as Fastify mounted it, with the policy the host enforces on it. */
export interface MountedRoute {
  method: string;
  /** Fastify form: `/orders/:id`, `/admin/queues/*`. */
  url: string;
  policy: RoutePolicy;
}

const mounted = new WeakMap<object, MountedRoute[]>();

/**
 * Every route the API host mounted (HEAD routes Fastify adds for GET included), with
 * its policy: what an access test iterates so that no route escapes it.
 *
 * @example
 * ```ts
 * for (const route of mountedRoutes(app)) console.log(route.method, route.url, route.policy.kind);
 * ```
 */
export function mountedRoutes(app: NestFastifyApplication): readonly MountedRoute[] {
  return mounted.get(app) ?? [];
}

/**
 * Authenticates every request in a Fastify `onRequest` hook, before the body is read,
 * against its route's policy: 401 without valid credentials, 403 without the scope.
 * Also gives each route its own body limit (`@BodyLimit`) as Fastify mounts it.
 * Call before `app.init()`, so the hooks see every route.
 */
export function mountAuthentication(
  app: NestFastifyApplication,
  policies: RoutePolicies,
  authenticator: Authenticator,
): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const routes: MountedRoute[] = [];
  mounted.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, policy: policies.policyOf(method, route.url) });
    const limit = methods.map((m) => policies.bodyLimitOf(m, route.url)).find((l) => l !== undefined);
    if (limit !== undefined) route.bodyLimit = limit;
  });
  // A callback hook, not an async one: an API key is checked without a promise (a token's
  // signature check is the one wait). A request answered here goes no further: `done` is only
  // called to let it through, or with an unexpected error.
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.routeOptions.url;
    // No route matched: Fastify answers 404 without running anything.
    if (url === undefined) return done();
    const policy = policies.policyOf(request.method, url);
    if (policy.kind === 'public') return done();
    const browserFacing = policy.kind === 'authenticated' || url.startsWith('/admin/');
    const admit = (principal: Principal | undefined): void => {
      if (!principal) {
        unauthorized(reply, 'missing credentials: send "Authorization: Bearer <API key or token>"', browserFacing);
        return;
      }
      if (policy.kind === 'scopes') {
        const missing = policy.scopes.filter((scope) => !scopeGranted(principal.scopes, scope));
        if (missing.length) {
          reply
            .code(403)
            .send({ statusCode: 403, error: 'Forbidden', message: `missing scope: ${missing.join(', ')}` });
          return;
        }
      }
      request.principal = principal;
      done();
    };
    const refuse = (error: unknown): void => {
      if (error instanceof CredentialError) unauthorized(reply, error.message, browserFacing);
      else done(error as Error);
    };
    let answer: Principal | undefined | Promise<Principal>;
    try {
      answer = authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      return refuse(error);
    }
    if (answer instanceof Promise) {
      // Neither throws but for a bug; that becomes the request's 500, `done` having maybe run.
      answer.then(admit, refuse).catch((error: unknown) => reply.send(error));
    } else {
      admit(answer);
    }
  });
}

function unauthorized(reply: FastifyReply, message: string, browserFacing: boolean): FastifyReply {
  // Pages people open in a browser (dashboard, docs) also offer Basic, so the browser asks
  // for the key. One challenge per header line: browsers skip a line whose first scheme they lack.
  const challenges = browserFacing
    ? ['Bearer realm="coordinator"', 'Basic realm="coordinator"']
    : ['Bearer realm="coordinator"'];
  return reply
    .code(401)
    .header('www-authenticate', challenges)
    .send({ statusCode: 401, error: 'Unauthorized', message });
}
