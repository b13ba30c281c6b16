import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link RequireScopes} and {@link PublicRoute}. */
export const ROUTE_ACCESS_METADATA = 'coordinator:route-access';
/** Metadata key of {@link BodyLimit}. */
export const BODY_LIMIT_METADATA = 'coordinator:body-limit';

/**
 * Who may call a route: principals holding every listed scope, or anyone (a public
 * route, which must say why, e.g. because it checks a provider's signature instead).
 *
 * @example
 * ```ts
 * const access: RouteAccess = { kind: 'scopes', scopes: ['orders:write'] };
 * ```
 */
export type RouteAccess =
  | { readonly kind: 'scopes'; readonly scopes: readonly string[] }
  | { readonly kind: 'public'; readonly reason: string };

/**
 * Declares the scopes a route (a controller method) or every route of a controller
 * needs. The API host answers 401 without valid credentials and 403 when a scope is
 * missing, before the body is read. Every extension route must carry this or
 * {@link PublicRoute}: the host refuses to start otherwise.
 *
 * @example
 * ```ts
 * @Post()
 * @RequireScopes('orders:write')
 * create(@Body() body: CreateOrderBody) { … }
 * ```
 */
export function RequireScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  if (scopes.length === 0 || scopes.some((s) => !/^[a-z0-9*][a-z0-9:*._-]*$/.test(s))) {
    throw new Error(`@RequireScopes needs one or more scopes like "orders:write", got ${JSON.stringify(scopes)}`);
  }
  const access: RouteAccess = Object.freeze({ kind: 'scopes', scopes: Object.freeze([...scopes]) });
  return SetMetadata(ROUTE_ACCESS_METADATA, access);
}

/**
 * Opens a route to unauthenticated callers. Only for routes that authenticate their
 * callers otherwise (a provider webhook checking its signature) or must be open (probes);
 * the API host logs each public route with its reason at startup.
 *
 * @example
 * ```ts
 * @Post('stripe')
 * @PublicRoute('verified by the Stripe-Signature header')
 * stripe(@Req() request: RawBodyRequest) { … }
 * ```
 */
export function PublicRoute(reason: string): MethodDecorator & ClassDecorator {
  if (!reason.trim()) throw new Error('@PublicRoute needs the reason the route may be called without credentials');
  const access: RouteAccess = Object.freeze({ kind: 'public', reason });
  return SetMetadata(ROUTE_ACCESS_METADATA, access);
}

/**
 * Overrides the API host's request body limit (`BODY_LIMIT_BYTES`, 64 KiB by default)
 * for one route; a larger body is answered 413 before it is read.
 *
 * @example
 * ```ts
 * @Post('stripe')
 * @BodyLimit(256 * 1024)
 * stripe(@Req() request: RawBodyRequest) { … }
 * ```
 */
export function BodyLimit(bytes: number): MethodDecorator & ClassDecorator {
  if (!Number.isInteger(bytes) || bytes <= 0)
    throw new Error(`@BodyLimit needs a positive number of bytes, got ${bytes}`);
  return SetMetadata(BODY_LIMIT_METADATA, bytes);
}

/**
 * The access a controller method declares (its own, else its controller's).
 *
 * @example
 * ```ts
 * routeAccessOf(OrdersController, 'create'); // { kind: 'scopes', scopes: ['orders:write'] }
 * ```
 */
export function routeAccessOf(
  controller: abstract new (...args: never[]) => unknown,
  method: string,
): RouteAccess | undefined {
  return metadataOf<RouteAccess>(ROUTE_ACCESS_METADATA, controller, method);
}

/**
 * The body limit a controller method declares (its own, else its controller's).
 *
 * @example
 * ```ts
 * bodyLimitOf(WebhooksController, 'stripe'); // 262144
 * ```
 */
export function bodyLimitOf(
  controller: abstract new (...args: never[]) => unknown,
  method: string,
): number | undefined {
  return metadataOf<number>(BODY_LIMIT_METADATA, controller, method);
}

function metadataOf<T>(
  key: string,
  controller: abstract new (...args: never[]) => unknown,
  method: string,
): T | undefined {
  const handler = (controller.prototype as Record<string, unknown>)[method];
  const own = typeof handler === 'function' ? (Reflect.getMetadata(key, handler) as T | undefined) : undefined;
  return own ?? (Reflect.getMetadata(key, controller) as T | undefined);
}
