import { hash, randomBytes } from 'node:crypto';

/** What every coordinator API key starts with, so leaked keys are easy to scan for. */
export const API_KEY_PREFIX = 'cck_';

/**
 * One configured API key: its id (part of the principal id), the SHA-256 of the key,
 * never the key itself, and the scopes it grants.
 *
 * @example
 * ```json
 * { "id": "checkout", "sha256": "9f86d0…", "scopes": ["orders:write", "orders:read", "tasks:read"] }
 * ```
 */
export interface ApiKeyEntry {
  id: string;
  sha256: string;
  scopes: string[];
}

/**
 * The SHA-256 (hex) under which a key is configured. Keys are 256 random bits, so a
 * fast hash is enough: there is nothing to brute-force the way there is with passwords.
 *
 * @example
 * ```ts
 * hashApiKey('cck_…'); // '3a7bd3e2…'
 * ```
 */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * A new random key and its configuration entry.
 *
 * @example
 * ```ts
 * const { key, entry } = generateApiKey('checkout', ['orders:write']);
 * ```
 */
export function generateApiKey(id: string, scopes: string[]): { key: string; entry: ApiKeyEntry } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, entry: { id, sha256: hashApiKey(key), scopes } };
}
