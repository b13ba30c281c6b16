import type { ExtensionRegistry } from '@coordinator/core/runtime';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
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
}

/**
 * Every route of every loaded extension, read from the same decorator metadata Nest
 * mounts them from, so the OpenAPI post-processing knows which operations belong to
 * which extension and which classes their bodies are.
 */
export function extensionRoutes(registry: ExtensionRegistry): ExtensionRoute[] {
  const routes: ExtensionRoute[] = [];
  for (const extension of registry.extensions) {
    for (const controller of extension.controllers) {
      const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const body = bodyType(controller, key);
        const headers = headerNames(controller, key);
        for (const prefix of prefixes) {
          for (const path of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.push({
              extension: extension.name,
              method: RequestMethod[method].toLowerCase(),
              path: openApiPath(prefix, path),
              ...(body ? { body } : {}),
              headers,
            });
          }
        }
      }
    }
  }
  return routes;
}

function paths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : '/'];
}

/** `orders` + `:id/cancel` → `/orders/{id}/cancel`. */
function openApiPath(prefix: string, path: string): string {
  const joined = `/${[prefix, path]
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
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
