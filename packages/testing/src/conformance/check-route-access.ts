import { routeAccessOf } from '@coordinator/core';
import { listControllerRoutes } from '@coordinator/core/runtime';
import type { Type } from '@nestjs/common';

/**
 * Routes that declare no access rule: each needs `@RequireScopes(...)` or
 * `@PublicRoute(reason)` (on the method or its controller), or the API host refuses to
 * start with the extension loaded.
 *
 * @example
 * ```ts
 * expect(checkRouteAccess(orders.controllers)).toEqual([]);
 * ```
 */
export function checkRouteAccess(controllers: readonly Type[]): string[] {
  return controllers.flatMap((controller) =>
    listControllerRoutes(controller)
      .filter((route) => routeAccessOf(controller, route.handler) === undefined)
      .map(
        (route) =>
          `${route.method} ${route.path} (${route.controller}.${route.handler}) declares neither @RequireScopes nor @PublicRoute`,
      ),
  );
}
