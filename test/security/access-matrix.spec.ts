/*
 * Every route the API host mounts × every kind of credential, generated from the routes
 * Fastify actually mounted (extension controllers, the host's own routes, the dashboard
 * and the docs), so a new route cannot ship without an access rule being tested.
 */
import { mountedRoutes, type MountedRoute } from '@coordinator/api-host';
import orders from '@coordinator/extension-orders';
import payments from '@coordinator/extension-payments';
import {
  FakeOrderManagement,
  FakePaymentProvider,
  startTestCoordinator,
  type TestCoordinator,
} from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'coordinator';

interface Case {
  name: string;
  authorization: (route: MountedRoute) => Promise<string | undefined>;
  /** What a protected route answers. */
  expect: 401 | 403 | 'allowed';
}

describe('access to every route', () => {
  let coordinator: TestCoordinator;
  let oms: FakeOrderManagement;
  let provider: FakePaymentProvider;
  let privateKey: CryptoKey;

  const token = (claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt) =>
    edit(
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('matrix')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m'),
    ).sign(privateKey);
  const scopesOf = (route: MountedRoute) => (route.policy.kind === 'scopes' ? route.policy.scopes : ['any:read']);

  const cases: Case[] = [
    { name: 'no credentials', authorization: async () => undefined, expect: 401 },
    { name: 'a malformed header', authorization: async () => 'Token abc', expect: 401 },
    { name: 'an unknown API key', authorization: async () => `Bearer cck_${'x'.repeat(43)}`, expect: 401 },
    {
      name: 'an expired token',
      authorization: async (route) =>
        `Bearer ${await token({ scope: scopesOf(route).join(' ') }, (jwt) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60))}`,
      expect: 401,
    },
    {
      name: 'a token for another audience',
      authorization: async (route) =>
        `Bearer ${await token({ scope: scopesOf(route).join(' ') }, (jwt) => jwt.setAudience('someone-else'))}`,
      expect: 401,
    },
    {
      name: 'a token from another issuer',
      authorization: async (route) =>
        `Bearer ${await token({ scope: scopesOf(route).join(' ') }, (jwt) => jwt.setIssuer('https://evil.test'))}`,
      expect: 401,
    },
    {
      name: 'an unsigned token (alg none)',
      authorization: async (route) => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const claims = { sub: 'matrix', iss: ISSUER, aud: AUDIENCE, exp: now + 300, scope: scopesOf(route).join(' ') };
        return `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
      },
      expect: 401,
    },
    {
      name: 'a token with the wrong scope',
      authorization: async () => `Bearer ${await token({ scope: 'unrelated:read' })}`,
      expect: 403,
    },
    {
      name: 'a token with the right scope',
      authorization: async (route) => `Bearer ${await token({ scope: scopesOf(route).join(' ') })}`,
      expect: 'allowed',
    },
  ];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    oms = new FakeOrderManagement();
    provider = new FakePaymentProvider();
    await Promise.all([oms.start(), provider.start()]);
    coordinator = await startTestCoordinator({
      extensions: [orders, payments],
      // Redis mode: the queue dashboard is mounted only on the BullMQ transport.
      mode: 'redis',
      env: {
        ORDERS_OMS_URL: oms.url,
        PAYMENTS_PROVIDER_URL: provider.url,
        PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
        PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
        AUTH_JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
        METRICS_REQUIRE_AUTH: 'true',
      },
    });
  }, 30_000);

  afterAll(async () => {
    await coordinator?.close();
    await Promise.all([oms?.close(), provider?.close()]);
  });

  /** A concrete URL for a route pattern: UUIDs for Nest parameters, `x` for the rest. */
  const urlOf = (pattern: string) =>
    pattern
      .replace(/:(id|orderId)\b/g, '3f0c8b1e-2d4a-4c6b-9e8f-1a2b3c4d5e6f')
      .replace(/:[A-Za-z0-9_]+/g, 'x')
      .replace(/\*/g, 'x');

  it('mounts the extensions, the host routes, the dashboard and the docs', () => {
    const urls = new Set(mountedRoutes(coordinator.api).map((r) => `${r.method} ${r.url}`));
    for (const route of [
      'POST /orders',
      'GET /orders/:id',
      'POST /orders/:id/cancel',
      'GET /payments/:orderId/receipt',
      'POST /payments/webhooks/stripe',
      'GET /tasks/:id',
      'GET /health/ready',
      'GET /admin/queues',
      'GET /docs-json',
    ]) {
      expect(urls).toContain(route);
    }
  });

  it('answers every route × credential as its policy says', async () => {
    const routes = mountedRoutes(coordinator.api).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(20);
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      for (const c of cases) {
        const authorization = await c.authorization(route);
        const response = await coordinator
          .as(null)
          .request(route.method, urlOf(route.url), route.method === 'GET' ? undefined : {}, {
            ...(authorization ? { authorization } : {}),
          });
        checked += 1;
        const status = response.status;
        const message = (response.body as { message?: unknown } | undefined)?.message;
        const refusedByAuth = status === 401 || (status === 403 && /^missing scope/.test(String(message)));
        // Public routes take anyone; routes open to any authenticated caller (the docs) need no scope.
        const expected =
          route.policy.kind === 'public' || (route.policy.kind === 'authenticated' && c.expect === 403)
            ? 'allowed'
            : c.expect;
        const ok =
          expected === 'allowed'
            ? !refusedByAuth
            : status === expected && typeof message === 'string' && message !== '';
        if (!ok) mismatches.push(`${route.method} ${route.url} with ${c.name}: ${status} ${JSON.stringify(message)}`);
        if (expected === 401 && status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(routes.length * cases.length);
  }, 60_000);

  it('keeps public only the probes, the provider webhook and nothing else', () => {
    const open = mountedRoutes(coordinator.api)
      .filter((r) => r.policy.kind === 'public' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(open).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /health/workers',
      'POST /payments/webhooks/stripe',
    ]);
  });
});
