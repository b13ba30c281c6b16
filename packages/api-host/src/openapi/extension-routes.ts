import { routeAccessOf, type RouteAccess } from '@coordinator/core';
import { listControllerRoutes, type ExtensionRegistry } from '@coordinator/core/runtime';
import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';

/** One route of a loaded extension's controller, as Nest mounts it. */
export interface ExtensionRoute {
  extension: string;
  /** Lower-case, as OpenAPI path items key their operations: `post`. */
  method: string;
  /** In OpenAPI form: `/orders/{id}`. */
  path: string;
  /** The `@Body()` parameter's class, when it is one (a DTO). */
  body?: Type;
  /** Names of the request headers its `@Headers('name')` parameters read, lower-case. */
  headers: string[];
  /** Who may call it (`@RequireScopes` / `@PublicRoute`). */
  access?: RouteAccess;
}

/**
 * Every route of every loaded extension, read from the same decorator metadata Nest
 * mounts them from, so the OpenAPI post-processing knows which operations belong to
 * which extension and which classes their bodies are.
 */
export function extensionRoutes(registry: ExtensionRegistry): ExtensionRoute[] {
  return registry.extensions.flatMap((extension) =>
    extension.controllers.flatMap((controller) =>
      listControllerRoutes(controller).map(({ handler, method, path }) => {
        const body = bodyType(controller, handler);
        const access = routeAccessOf(controller, handler);
        return {
          extension: extension.name,
          method: method.toLowerCase(),
          path: path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
          ...(body ? { body } : {}),
          headers: headerNames(controller, handler),
          ...(access ? { access } : {}),
        };
      }),
    ),
  );
}

/** The route's parameter decorators, as `[paramtype, { index, data }]`. */
function routeArgs(controller: Type, key: string): [RouteParamtypes, { index: number; data?: unknown }][] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  // Keys are `<paramtype>:<index>`.
  return Object.entries(args).map(([id, arg]) => [Number(id.split(':')[0]) as RouteParamtypes, arg]);
}

function headerNames(controller: Type, key: string): string[] {
  return routeArgs(controller, key)
    .filter(([type, arg]) => type === RouteParamtypes.HEADERS && typeof arg.data === 'string')
    .map(([, arg]) => (arg.data as string).toLowerCase());
}

function bodyType(controller: Type, key: string): Type | undefined {
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, key) ?? []) as unknown[];
  for (const [paramtype, arg] of routeArgs(controller, key)) {
    // Only a whole body (`@Body()`, no property name) is a DTO.
    if (paramtype !== RouteParamtypes.BODY || arg.data !== undefined) continue;
    const type = types[arg.index];
    if (typeof type === 'function' && type !== Object && type !== String && type !== Array) return type as Type;
  }
  return undefined;
}
