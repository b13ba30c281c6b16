/**
 * Who is calling: an API key or a JWT's subject, with the scopes it was granted. The
 * API host authenticates every request (except public routes) before any extension
 * code runs, and hands the principal to controllers through {@link CurrentPrincipal}.
 *
 * @example
 * ```ts
 * const principal: Principal = { id: 'key:checkout', scopes: ['orders:write'], via: 'api-key' };
 * ```
 */
export interface Principal {
  /**
   * Stable and unique across credential kinds: `key:<key id>` for API keys (the
   * development key is `key:development`), `jwt:<sub>` for tokens. Tasks it dispatches
   * are owned by this id.
   */
  readonly id: string;
  readonly scopes: readonly string[];
  readonly via: 'api-key' | 'jwt';
}

/** The scope that opens admin routes (`/admin/*`) and every principal's objects. */
export const ADMIN_SCOPE = 'admin';

/**
 * Whether `granted` includes `scope`: exactly, through a `<resource>:*` wildcard, or
 * through `*`.
 *
 * @example
 * ```ts
 * scopeGranted(['orders:*'], 'orders:write'); // true
 * scopeGranted(['orders:read'], 'orders:write'); // false
 * ```
 */
export function scopeGranted(granted: readonly string[], scope: string): boolean {
  const resource = scope.includes(':') ? scope.slice(0, scope.indexOf(':')) : undefined;
  return granted.some((g) => g === scope || g === '*' || (resource !== undefined && g === `${resource}:*`));
}
