import { generateApiKey, hashApiKey, SettingsError } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { ApiKeyStore } from './api-key-store.js';

describe('ApiKeyStore', () => {
  it('finds a key by its hash and names the principal after the key id', () => {
    const { key, entry } = generateApiKey('checkout', ['orders:write']);
    const store = ApiKeyStore.parse(JSON.stringify([entry]));
    expect(entry.sha256).toBe(hashApiKey(key));
    expect(store.find(key)).toEqual({ id: 'key:checkout', scopes: ['orders:write'], via: 'api-key' });
    expect(store.find(`${key}x`)).toBeUndefined();
    expect(store.find(entry.sha256)).toBeUndefined();
  });

  it('accepts two keys with the same scopes, as during a rotation', () => {
    const old = generateApiKey('checkout-2026-10', ['orders:write']);
    const next = generateApiKey('checkout-2026-11', ['orders:write']);
    const store = ApiKeyStore.parse(JSON.stringify([old.entry, next.entry]));
    expect(store.find(old.key)?.id).toBe('key:checkout-2026-10');
    expect(store.find(next.key)?.id).toBe('key:checkout-2026-11');
  });

  it.each([
    ['not JSON', 'cck_pasted-by-mistake', /must be a JSON list/],
    ['not a list', '{"id":"a"}', /must be a JSON list/],
    [
      'a key in clear',
      JSON.stringify([{ id: 'a', sha256: 'cck_abc', scopes: ['x:y'] }]),
      /\[0\]\.sha256 .* not the key/,
    ],
    ['no scopes', JSON.stringify([{ id: 'a', sha256: 'a'.repeat(64), scopes: [] }]), /\[0\]\.scopes must be/],
    ['a bad id', JSON.stringify([{ id: 'a b', sha256: 'a'.repeat(64), scopes: ['x:y'] }]), /\[0\]\.id must be/],
    [
      'a duplicate id',
      JSON.stringify([
        { id: 'a', sha256: 'a'.repeat(64), scopes: ['x:y'] },
        { id: 'a', sha256: 'b'.repeat(64), scopes: ['x:y'] },
      ]),
      /\[1\]\.id "a" is used by another key/,
    ],
  ])('refuses %s, naming the entry and never echoing the value', (_case, value, message) => {
    const error = (() => {
      try {
        ApiKeyStore.parse(value);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toMatch(/COORDINATOR_API_KEYS/);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('cck_');
  });
});
