import type { Principal } from '@coordinator/core';
import { hashApiKey, SettingsError, type ApiKeyEntry } from '@coordinator/core/runtime';

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The configured API keys, looked up by the hash of the presented key: the keys
 * themselves are never configured, kept or logged. Several keys may share scopes, which
 * is how a key is rotated: add the new one, move callers, remove the old one.
 */
export class ApiKeyStore {
  private readonly byHash = new Map<string, Principal>();

  constructor(entries: readonly ApiKeyEntry[]) {
    for (const entry of entries) {
      this.byHash.set(
        entry.sha256,
        Object.freeze({ id: `key:${entry.id}`, scopes: Object.freeze([...entry.scopes]), via: 'api-key' }),
      );
    }
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The key's principal, or `undefined` when no configured key has this hash. */
  find(key: string): Principal | undefined {
    return this.byHash.get(hashApiKey(key));
  }

  /** Reads `COORDINATOR_API_KEYS`, naming the entry and field at fault. */
  static parse(json: string | undefined, variable = 'COORDINATOR_API_KEYS'): ApiKeyStore {
    if (json === undefined || json.trim() === '') return new ApiKeyStore([]);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      // The value may hold a key pasted by mistake: never echo it.
      throw new SettingsError([`${variable} must be a JSON list of { "id", "sha256", "scopes" }`]);
    }
    if (!Array.isArray(value))
      throw new SettingsError([`${variable} must be a JSON list of { "id", "sha256", "scopes" }`]);
    const problems: string[] = [];
    const ids = new Set<string>();
    const hashes = new Set<string>();
    const entries: ApiKeyEntry[] = [];
    value.forEach((item: unknown, index) => {
      const at = `${variable}[${index}]`;
      const entry = (item ?? {}) as Partial<Record<keyof ApiKeyEntry, unknown>>;
      if (typeof entry.id !== 'string' || !KEY_ID.test(entry.id)) {
        problems.push(`${at}.id must be 1 to 64 letters, digits, ".", "_" or "-"`);
        return;
      }
      if (typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256)) {
        problems.push(`${at}.sha256 must be the key's SHA-256 in lower-case hex (64 characters), not the key`);
        return;
      }
      if (
        !Array.isArray(entry.scopes) ||
        entry.scopes.length === 0 ||
        !entry.scopes.every((s) => typeof s === 'string' && s !== '')
      ) {
        problems.push(`${at}.scopes must be a non-empty list of scopes such as "orders:write"`);
        return;
      }
      if (ids.has(entry.id)) problems.push(`${at}.id "${entry.id}" is used by another key`);
      if (hashes.has(entry.sha256)) problems.push(`${at}.sha256 is configured twice`);
      ids.add(entry.id);
      hashes.add(entry.sha256);
      entries.push({ id: entry.id, sha256: entry.sha256, scopes: entry.scopes as string[] });
    });
    if (problems.length) throw new SettingsError(problems);
    return new ApiKeyStore(entries);
  }
}
