import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ControllerRoute } from './controller-routes.js';

/**
 * Tells whether the API host's router has a route for a method and path pattern.
 *
 * @example
 * ```ts
 * const isMounted: RouteLookup = (method, path) => method === 'GET' && path === '/orders/:id';
 * ```
 */
export type RouteLookup = (method: string, path: string) => boolean;

/**
 * Problems when routes a controller declares are missing from the API host's router.
 * Asking the router, rather than sending requests, keeps the check free of side effects
 * and tells "not mounted" apart from a handler that answers 404 for an unknown id.
 *
 * @example
 * ```ts
 * expect(checkMountedRoutes(routes, fastifyRouteLookup(coordinator.api))).toEqual([]);
 * ```
 */
export function checkMountedRoutes(routes: readonly ControllerRoute[], isMounted: RouteLookup): string[] {
  return routes
    .filter((route) => !isMounted(route.method === 'ALL' ? 'GET' : route.method, route.path))
    .map(
      (route) => `${route.method} ${route.path} (${route.controller}.${route.handler}) is not mounted in the API host`,
    );
}

/**
 * A {@link RouteLookup} over the API host's Fastify router. Fastify matches parameter
 * patterns by position, so `/orders/:id` finds a route Nest registered as `/orders/:orderId`.
 *
 * @example
 * ```ts
 * fastifyRouteLookup(coordinator.api)('POST', '/orders'); // true
 * ```
 */
export function fastifyRouteLookup(app: NestFastifyApplication): RouteLookup {
  const fastify = app.getHttpAdapter().getInstance();
  type Method = Parameters<typeof fastify.hasRoute>[0]['method'];
  return (method, path) => fastify.hasRoute({ method: method as Method, url: path });
}
