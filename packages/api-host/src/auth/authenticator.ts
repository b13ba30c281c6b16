import type { Principal } from '@coordinator/core';
import type { ApiKeyStore } from './api-key-store.js';
import { CredentialError } from './credential-error.js';
import type { JwtVerifier } from './jwt-verifier.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]+=*) *$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Longer values are refused unread: no key or token the host accepts is this long. */
const MAX_CREDENTIAL_LENGTH = 8192;

/**
 * Turns an `Authorization` header into a principal. `Bearer <api key>` and
 * `Bearer <jwt>` (told apart by shape), and `Basic` with the API key as password, so a
 * browser can open the dashboard and the docs.
 */
export class Authenticator {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly tokens: JwtVerifier | undefined,
  ) {}

  /**
   * `undefined` when no credentials were sent; throws {@link CredentialError} for bad ones. An
   * API key is settled at once; a token once its signature is checked, so it answers a promise
   * (which rejects with a {@link CredentialError} for a bad token). No promise for the API-key
   * path: on every request it would cost the promise hooks and a turn of the microtask queue.
   */
  authenticate(header: string | undefined): Principal | undefined | Promise<Principal> {
    if (header === undefined || header === '') return undefined;
    if (header.length > MAX_CREDENTIAL_LENGTH) throw new CredentialError('malformed Authorization header: too long');
    const bearer = BEARER.exec(header)?.[1];
    if (bearer !== undefined) {
      if (JWT_SHAPE.test(bearer)) {
        if (!this.tokens) throw new CredentialError('invalid token: this host accepts no tokens, only API keys');
        return this.tokens.verify(bearer);
      }
      return this.apiKey(bearer);
    }
    const basic = BASIC.exec(header)?.[1];
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new CredentialError('malformed Authorization header: Basic needs user:password');
      return this.apiKey(decoded.slice(colon + 1));
    }
    throw new CredentialError('malformed Authorization header: expected "Bearer <API key or token>"');
  }

  private apiKey(key: string): Principal {
    const principal = this.keys.find(key);
    if (!principal) throw new CredentialError('invalid API key');
    return principal;
  }
}
