import { ADMIN_SCOPE, bodyLimitOf, routeAccessOf, type RouteAccess } from '@coordinator/core';
import { listControllerRoutes, type ExtensionRegistry } from '@coordinator/core/runtime';
import type { Type } from '@nestjs/common';
import { QUEUE_DASHBOARD_PATH } from '../dashboard/queue-dashboard.js';
import { METRICS_PATH } from '../metrics/mount-metrics.js';
import { DOCS_PATH } from '../openapi/mount-openapi.js';

/** Who may call a route: {@link RouteAccess}, or any authenticated principal. */
export type RoutePolicy = RouteAccess | { readonly kind: 'authenticated' };

/** A mounted route and its policy, for the startup log and the access test matrix. */
export interface PolicedRoute {
  method: string;
  /** Fastify form: `/orders/:id`. */
  path: string;
  /** The extension that declared it, or `coordinator` for the host's own routes. */
  owner: string;
  policy: RoutePolicy;
  bodyLimit?: number;
}

/** Routes the host serves without Nest controllers, matched by path prefix. */
interface PrefixPolicy {
  prefix: string;
  policy: RoutePolicy;
}

const ADMIN_ONLY: RoutePolicy = Object.freeze({ kind: 'scopes', scopes: Object.freeze([ADMIN_SCOPE]) });

/** An extension route that declares no access: the host refuses to start. */
export class UnprotectedRouteError extends Error {
  override readonly name = 'UnprotectedRouteError';
}

/**
 * The access policy of every route the API host serves, decided once at startup from
 * the controllers' `@RequireScopes` / `@PublicRoute` metadata and the host's own
 * prefixes. A route nobody declared (a plugin's, say) needs `admin`: the table fails closed.
 */
export class RoutePolicies {
  private readonly exact = new Map<string, PolicedRoute>();

  private constructor(
    readonly routes: readonly PolicedRoute[],
    private readonly prefixes: readonly PrefixPolicy[],
  ) {
    for (const route of routes) this.exact.set(`${route.method} ${route.path}`, route);
  }

  /**
   * @param hostControllers the host's own controllers (`/tasks`, `/health`), which must declare access too
   * @param metricsPublic whether `GET /metrics` is open (else it needs `metrics:read`)
   */
  static build(registry: ExtensionRegistry, hostControllers: readonly Type[], metricsPublic: boolean): RoutePolicies {
    const routes: PolicedRoute[] = [];
    const unprotected: string[] = [];
    const owners: [string, readonly Type[]][] = [
      ['coordinator', hostControllers],
      ...registry.extensions.map((e): [string, readonly Type[]] => [e.name, e.controllers]),
    ];
    for (const [owner, controllers] of owners) {
      for (const route of controllers.flatMap((controller) =>
        listControllerRoutes(controller).map((r) => ({ ...r, controller })),
      )) {
        const access = routeAccessOf(route.controller, route.handler);
        if (!access) {
          unprotected.push(`${owner}: ${route.method} ${route.path} (${route.controller.name}.${route.handler})`);
          continue;
        }
        const bodyLimit = bodyLimitOf(route.controller, route.handler);
        routes.push({
          method: route.method,
          path: route.path,
          owner,
          policy: access,
          ...(bodyLimit ? { bodyLimit } : {}),
        });
      }
    }
    if (unprotected.length) {
      throw new UnprotectedRouteError(
        `routes without an access rule: ${unprotected.join('; ')}. ` +
          'Add @RequireScopes(...) or @PublicRoute(reason) from @coordinator/core to each.',
      );
    }
    return new RoutePolicies(routes, [
      { prefix: QUEUE_DASHBOARD_PATH, policy: ADMIN_ONLY },
      { prefix: '/admin/', policy: ADMIN_ONLY },
      { prefix: DOCS_PATH, policy: { kind: 'authenticated' } },
      {
        prefix: METRICS_PATH,
        policy: metricsPublic
          ? { kind: 'public', reason: 'scraped by Prometheus (METRICS_REQUIRE_AUTH=false)' }
          : { kind: 'scopes', scopes: ['metrics:read'] },
      },
    ]);
  }

  /** The policy of a matched route (`request.routeOptions.url`); admin-only when nobody declared one. */
  policyOf(method: string, url: string): RoutePolicy {
    const route = this.find(method, url);
    if (route) return route.policy;
    return this.prefixes.find((p) => url === p.prefix || url.startsWith(p.prefix))?.policy ?? ADMIN_ONLY;
  }

  /** The route's own body limit, when it declared one with `@BodyLimit`. */
  bodyLimitOf(method: string, url: string): number | undefined {
    return this.find(method, url)?.bodyLimit;
  }

  private find(method: string, url: string): PolicedRoute | undefined {
    // Fastify answers HEAD from the GET route.
    return this.exact.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
  }
}
