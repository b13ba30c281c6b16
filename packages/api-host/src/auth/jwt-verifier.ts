import type { Principal } from '@coordinator/core';
import { SettingsError } from '@coordinator/core/runtime';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthSettings } from './auth.settings.js';
import { CredentialError } from './credential-error.js';

const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const SUPPORTED = new Set([
  ...ASYMMETRIC,
  'RS384',
  'RS512',
  'PS384',
  'PS512',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
]);

/**
 * Verifies bearer JWTs with `jose`: signature with an allow-listed algorithm, `iss`,
 * `aud`, `exp` (required) and `nbf`. The principal is `jwt:<sub>` with the scopes of
 * the `scope` (space-separated) or `scp` claim.
 */
export class JwtVerifier {
  private constructor(
    private readonly key: JWTVerifyGetKey | KeyObject | Uint8Array,
    private readonly options: { issuer: string; audience: string; algorithms: string[]; clockTolerance: number },
  ) {}

  /** `undefined` when tokens are not configured; a `SettingsError` naming the variable when half-configured. */
  static fromSettings(settings: AuthSettings): JwtVerifier | undefined {
    const sources = (['AUTH_JWT_JWKS_URL', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_SECRET'] as const).filter(
      (name) => settings[name],
    );
    if (sources.length === 0) {
      const stray = (['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE', 'AUTH_JWT_ALGORITHMS'] as const).filter(
        (name) => settings[name],
      );
      if (stray.length) {
        throw new SettingsError([
          `${stray.join(', ')} set but no key to verify tokens: set AUTH_JWT_JWKS_URL, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET`,
        ]);
      }
      return undefined;
    }
    const problems: string[] = [];
    if (sources.length > 1) problems.push(`set only one of ${sources.join(', ')}`);
    if (!settings.AUTH_JWT_ISSUER) problems.push('AUTH_JWT_ISSUER is required when tokens are accepted');
    if (!settings.AUTH_JWT_AUDIENCE) problems.push('AUTH_JWT_AUDIENCE is required when tokens are accepted');
    const symmetric = sources[0] === 'AUTH_JWT_SECRET';
    const algorithms = settings.AUTH_JWT_ALGORITHMS
      ? settings.AUTH_JWT_ALGORITHMS.split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : symmetric
        ? ['HS256']
        : ASYMMETRIC;
    const unknown = algorithms.filter((a) => !SUPPORTED.has(a));
    if (unknown.length)
      problems.push(`AUTH_JWT_ALGORITHMS: ${unknown.join(', ')} not allowed (use ${[...SUPPORTED].join(', ')})`);
    if (algorithms.some((a) => a.startsWith('HS') !== symmetric)) {
      problems.push(
        `AUTH_JWT_ALGORITHMS: ${symmetric ? 'a secret signs only HS* tokens' : 'a public key verifies only asymmetric algorithms'}`,
      );
    }
    let key: JWTVerifyGetKey | KeyObject | Uint8Array | undefined;
    try {
      if (settings.AUTH_JWT_JWKS_URL) key = createRemoteJWKSet(new URL(settings.AUTH_JWT_JWKS_URL));
      else if (settings.AUTH_JWT_PUBLIC_KEY) key = createPublicKey(settings.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n'));
      else key = new TextEncoder().encode(settings.AUTH_JWT_SECRET);
    } catch {
      problems.push(`${sources[0]} is not a valid ${sources[0] === 'AUTH_JWT_PUBLIC_KEY' ? 'PEM public key' : 'URL'}`);
    }
    if (problems.length || !key) throw new SettingsError(problems);
    return new JwtVerifier(key, {
      issuer: settings.AUTH_JWT_ISSUER!,
      audience: settings.AUTH_JWT_AUDIENCE!,
      algorithms,
      clockTolerance: settings.AUTH_JWT_CLOCK_TOLERANCE_SECONDS,
    });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        ...this.options,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new CredentialError(`invalid token: ${reasonOf(error)}`);
    }
    return Object.freeze({ id: `jwt:${payload.sub}`, scopes: Object.freeze(scopesOf(payload)), via: 'jwt' });
  }
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** jose's error codes, in words a caller can act on; never the token itself. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'nbf' ? 'not valid yet' : `claim "${claim}" is not accepted`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'signing algorithm not allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'signed by an unknown key';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'signing keys unavailable';
    default:
      return 'malformed';
  }
}
