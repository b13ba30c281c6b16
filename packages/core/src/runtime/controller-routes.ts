import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';

/**
 * One HTTP route as a controller declares it.
 *
 * @example
 * ```ts
 * const route: ControllerRoute = { controller: 'OrdersController', handler: 'get', method: 'GET', path: '/orders/:id' };
 * ```
 */
export interface ControllerRoute {
  controller: string;
  /** The controller method that answers it. */
  handler: string;
  /** `GET`, `POST`, …; `ALL` for `@All()`. */
  method: string;
  /** Controller and method paths joined, with a leading slash: `/orders/:id/cancel`. */
  path: string;
}

/**
 * The routes a controller class declares, read from Nest's decorator metadata (the same
 * metadata the API host's router is built from), inherited handlers included. The API
 * host derives access rules, body limits and its OpenAPI document from it; the
 * conformance kit checks extensions with it.
 *
 * @example
 * ```ts
 * listControllerRoutes(OrdersController).map((r) => `${r.method} ${r.path}`);
 * // ['POST /orders', 'GET /orders/:id', 'POST /orders/:id/cancel']
 * ```
 */
export function listControllerRoutes(controller: Type): ControllerRoute[] {
  const prefixes = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
  const routes: ControllerRoute[] = [];
  for (const name of methodNamesOf(controller)) {
    const handler: unknown = Object.getOwnPropertyDescriptor(findOwner(controller, name), name)?.value;
    if (typeof handler !== 'function') continue;
    const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
    const paths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
    if (typeof method !== 'number' || paths === undefined) continue;
    for (const prefix of prefixes) {
      for (const path of pathsOf(paths)) {
        routes.push({
          controller: controller.name,
          handler: name,
          method: RequestMethod[method] ?? String(method),
          path: joinPaths(prefix, path),
        });
      }
    }
  }
  return routes;
}

function pathsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((path): path is string => typeof path === 'string');
  return [typeof value === 'string' ? value : '/'];
}

function joinPaths(...parts: string[]): string {
  const segments = parts.flatMap((part) => part.split('/')).filter((segment) => segment !== '');
  return `/${segments.join('/')}`;
}

/** Method names along the prototype chain, as Nest's metadata scanner finds them. */
function methodNamesOf(controller: Type): string[] {
  const names = new Set<string>();
  for (let proto: object | null = controller.prototype as object; proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}

/** The prototype that defines `name` nearest to the class (an override wins). */
function findOwner(controller: Type, name: string): object {
  let proto = controller.prototype as object;
  while (!Object.hasOwn(proto, name)) proto = Object.getPrototypeOf(proto) as object;
  return proto;
}
