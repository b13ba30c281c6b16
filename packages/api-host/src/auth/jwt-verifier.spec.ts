import { loadSettings, SettingsError } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthSettings } from './auth.settings.js';
import { CredentialError } from './credential-error.js';
import { JwtVerifier } from './jwt-verifier.js';

const SECRET = 's'.repeat(40);
const base = { AUTH_JWT_ISSUER: 'https://issuer.test', AUTH_JWT_AUDIENCE: 'coordinator' };
const verifierFor = (env: NodeJS.ProcessEnv) => JwtVerifier.fromSettings(loadSettings(AuthSettings, env));

function sign(claims: Record<string, unknown>, key: Parameters<SignJWT['sign']>[0], alg = 'HS256') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setSubject('svc-1')
    .setIssuer('https://issuer.test')
    .setAudience('coordinator')
    .setExpirationTime('5m')
    .sign(key);
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialError);
  return (error as Error).message;
}

describe('JwtVerifier', () => {
  it('is absent when no key is configured, and refuses half a configuration', () => {
    expect(verifierFor({})).toBeUndefined();
    expect(() => verifierFor({ AUTH_JWT_ISSUER: 'x' })).toThrow(/AUTH_JWT_ISSUER set but no key/);
    expect(() => verifierFor({ AUTH_JWT_SECRET: SECRET })).toThrow(SettingsError);
    expect(() => verifierFor({ AUTH_JWT_SECRET: SECRET })).toThrow(/AUTH_JWT_AUDIENCE is required/);
    expect(() => verifierFor({ ...base, AUTH_JWT_SECRET: SECRET, AUTH_JWT_ALGORITHMS: 'none' })).toThrow(
      /none not allowed/,
    );
    expect(() => verifierFor({ ...base, AUTH_JWT_SECRET: SECRET, AUTH_JWT_ALGORITHMS: 'RS256' })).toThrow(/only HS/);
    expect(() => verifierFor({ ...base, AUTH_JWT_PUBLIC_KEY: 'not a key' })).toThrow(/not a valid PEM public key/);
    expect(() => verifierFor({ ...base, AUTH_JWT_JWKS_URL: 'not a url' })).toThrow(
      /AUTH_JWT_JWKS_URL must be an http\(s\) URL/,
    );
  });

  it("verifies tokens with the keys of AUTH_JWT_JWKS_URL, fetched over HTTP, and refuses a key it doesn't list", async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      const verifier = verifierFor({ ...base, AUTH_JWT_JWKS_URL: url })!;
      const token = await new SignJWT({ scope: 'orders:read' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('svc-1')
        .setIssuer('https://issuer.test')
        .setAudience('coordinator')
        .setExpirationTime('5m')
        .sign(privateKey);
      expect(await verifier.verify(token)).toEqual({ id: 'jwt:svc-1', scopes: ['orders:read'], via: 'jwt' });
      expect(await verifier.verify(token)).toMatchObject({ id: 'jwt:svc-1' });
      expect(fetches).toBe(1); // the key set is kept between tokens

      const stranger = await generateKeyPair('ES256');
      const unknownKey = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
        .setSubject('svc-1')
        .setIssuer('https://issuer.test')
        .setAudience('coordinator')
        .setExpirationTime('5m')
        .sign(stranger.privateKey);
      expect(await reason(verifier.verify(unknownKey))).toBe('invalid token: signed by an unknown key');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('maps sub and scope (or scp) to the principal', async () => {
    const verifier = verifierFor({ ...base, AUTH_JWT_SECRET: SECRET })!;
    const secret = new TextEncoder().encode(SECRET);
    expect(await verifier.verify(await sign({ scope: 'orders:write tasks:read' }, secret))).toEqual({
      id: 'jwt:svc-1',
      scopes: ['orders:write', 'tasks:read'],
      via: 'jwt',
    });
    expect((await verifier.verify(await sign({ scp: ['orders:read'] }, secret))).scopes).toEqual(['orders:read']);
  });

  it('checks signature, algorithm, expiry, not-before, issuer and audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const verifier = verifierFor({ ...base, AUTH_JWT_PUBLIC_KEY: pem })!;
    expect((await verifier.verify(await sign({}, privateKey, 'RS256'))).id).toBe('jwt:svc-1');

    const other = await generateKeyPair('RS256');
    expect(await reason(verifier.verify(await sign({}, other.privateKey, 'RS256')))).toBe(
      'invalid token: bad signature',
    );
    // Algorithm confusion: the public key used as an HMAC secret.
    const confused = await sign({}, new TextEncoder().encode(pem), 'HS256');
    expect(await reason(verifier.verify(confused))).toBe('invalid token: signing algorithm not allowed');
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('svc-1')
      .setIssuer('https://issuer.test')
      .setAudience('coordinator')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(privateKey);
    expect(await reason(verifier.verify(expired))).toBe('invalid token: expired');
    const early = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('svc-1')
      .setIssuer('https://issuer.test')
      .setAudience('coordinator')
      .setNotBefore(Math.floor(Date.now() / 1000) + 120)
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await reason(verifier.verify(early))).toBe('invalid token: not valid yet');
    const wrongAudience = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('svc-1')
      .setIssuer('https://issuer.test')
      .setAudience('billing')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await reason(verifier.verify(wrongAudience))).toBe('invalid token: claim "aud" is not accepted');
    const noExpiry = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('svc-1')
      .setIssuer('https://issuer.test')
      .setAudience('coordinator')
      .sign(privateKey);
    expect(await reason(verifier.verify(noExpiry))).toBe('invalid token: claim "exp" is not accepted');
  });
});
