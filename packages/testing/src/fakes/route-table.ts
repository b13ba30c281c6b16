import { compilePathPattern, type PathMatcher } from './path-pattern.js';

/**
 * A request as a route handler sees it.
 *
 * @example
 * ```ts
 * const handler: RouteHandler = (req) => ({ status: 200, body: { id: req.params['id'] } });
 * ```
 */
export interface FakeRequest {
  method: string;
  path: string;
  /** Values of the `:name` segments of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * What a route handler answers; `body` is sent as JSON.
 *
 * @example
 * ```ts
 * const reply: FakeReply = { status: 201, body: { id: 'oms_1' }, headers: { location: '/orders/oms_1' } };
 * ```
 */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Handles one routed request.
 *
 * @example
 * ```ts
 * const health: RouteHandler = () => ({ status: 200, body: { status: 'ok' } });
 * ```
 */
export type RouteHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/**
 * Options for a route. Control routes (`/__…`) are never faulted and never recorded,
 * so a test can always inspect and steer a fake, even one that is "down".
 *
 * @example
 * ```ts
 * this.route('GET', '/__health', health, { control: true });
 * ```
 */
export interface RouteOptions {
  control?: boolean;
}

/**
 * One entry of a {@link RouteTable}.
 *
 * @example
 * ```ts
 * const found = routes.find('GET', '/orders/oms_1');
 * if (found && !found.route.control) await found.route.handler(request);
 * ```
 */
export interface Route {
  /** Upper-case HTTP method. */
  method: string;
  match: PathMatcher;
  handler: RouteHandler;
  control: boolean;
}

/**
 * A route found for a request, with the values of its `:name` segments.
 *
 * @example
 * ```ts
 * const found: RouteMatch | undefined = routes.find('GET', '/orders/oms_1');
 * found?.params['id']; // 'oms_1'
 * ```
 */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * The routes of a fake, in the order they were added: the first route whose method and
 * pattern match wins, so routes added first (the control routes) cannot be shadowed.
 *
 * @example
 * ```ts
 * const routes = new RouteTable();
 * routes.add('GET', '/orders/:id', (req) => ({ status: 200, body: { id: req.params['id'] } }));
 * routes.find('GET', '/orders/oms_1')?.params; // { id: 'oms_1' }
 * ```
 */
export class RouteTable {
  private readonly routes: Route[] = [];

  /**
   * Adds a route. Patterns are literal paths with `:name` segments.
   *
   * @example
   * ```ts
   * routes.add('POST', '/orders/:id/cancel', cancel);
   * routes.add('GET', '/__health', health, { control: true });
   * ```
   */
  add(method: string, pattern: string, handler: RouteHandler, options: RouteOptions = {}): void {
    this.routes.push({
      method: method.toUpperCase(),
      match: compilePathPattern(pattern),
      handler,
      control: options.control ?? false,
    });
  }

  /**
   * The first route for this method and path, or undefined.
   *
   * @param method upper-case, as Node reports it.
   * @example
   * ```ts
   * const found = routes.find('POST', '/orders/oms_1/cancel');
   * ```
   */
  find(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = route.match(path);
      if (params) return { route, params };
    }
    return undefined;
  }

  /**
   * Whether any route, whatever its method, matches the path: what tells a 405 from a 404.
   *
   * @example
   * ```ts
   * const reply = routes.hasPath(path) ? { status: 405 } : { status: 404 };
   * ```
   */
  hasPath(path: string): boolean {
    return this.routes.some((route) => route.match(path));
  }
}
