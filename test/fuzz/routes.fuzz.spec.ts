/*
 * Property-based fuzzing of every route of the API host with the orders and payments
 * extensions, over real HTTP on 127.0.0.1: bodies generated from the DTO schemas the
 * host publishes (valid, one field broken, hostile keys, broken bytes), credentials,
 * headers, path ids and query strings. Whatever arrives, the host answers below 500,
 * each 4xx is JSON with a message naming the problem, bad credentials get 401, broken
 * bodies get 400 naming the field, and the host neither crashes nor lets a request
 * change a built-in prototype. Malformed HTTP framing, which fetch cannot send, is
 * written to a socket and must be refused with a 4xx as well.
 *
 * Runs in-process (where crashes and prototypes can be watched) and against the api-host
 * bin as its own OS process. `make test` runs a small seeded run; `make fuzz` a long one
 * with a random seed. See fuzz-settings.ts for the knobs and how to replay a failure.
 */
import { mountedRoutes } from '@coordinator/api-host';
import { generateApiKey } from '@coordinator/core/runtime';
import orders from '@coordinator/extension-orders';
import payments from '@coordinator/extension-payments';
import {
  FakeOrderManagement,
  FakePaymentProvider,
  startHostProcess,
  startTestCoordinator,
  type HostProcess,
  type TestCoordinator,
} from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { fuzzSettings } from './fuzz-settings.js';
import { errorMessages } from './answer-oracle.js';
import { pollutionProblems, snapshotPrototypes, watchCrashes } from './process-watch.js';
import { runRawFuzz } from './raw-http.js';
import { fuzzRoutes, type FuzzContext, type FuzzRoute, type OpenApiDocument } from './route-fuzz.js';
import { runRouteFuzz, statusTable, type RouteFuzzReport } from './run-route-fuzz.js';
import type { SchemaResolver } from './schema-values.js';

const settings = fuzzSettings();
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const JWT = {
  secret: `fuzz-jwt-${randomBytes(16).toString('hex')}`,
  issuer: 'https://issuer.fuzz.test',
  audience: 'coordinator',
};
/** Reruns the failing case when given the FUZZ_SEED and FUZZ_PATH a failure prints (`make fuzz FUZZ_SEED=…` reruns a whole run). */
const REPLAY = 'node scripts/redis.mjs run -- pnpm test -- test/fuzz/routes.fuzz.spec.ts';
/** Room for startup, shrinking and closing on top of the generation time limit. */
const TEST_TIMEOUT_MS = settings.timeLimitMs + 120_000;
/** Below this many cases a run is too small to promise every route was reached. */
const COVERAGE_MIN_CASES = 200;

const log = (line: string) => process.stderr.write(`${line}\n`);

describe('route fuzzing of the API host (orders + payments)', () => {
  let oms: FakeOrderManagement;
  let provider: FakePaymentProvider;
  let coordinator: TestCoordinator;
  let routes: FuzzRoute[];
  let resolve: SchemaResolver;
  let document: OpenApiDocument;
  let taskNames: string[];
  const env = () => ({
    ORDERS_OMS_URL: oms.url,
    PAYMENTS_PROVIDER_URL: provider.url,
    PAYMENTS_PROVIDER_API_KEY: provider.apiKey,
    PAYMENTS_STRIPE_WEBHOOK_SECRET: provider.webhookSecret,
    AUTH_JWT_SECRET: JWT.secret,
    AUTH_JWT_ISSUER: JWT.issuer,
    AUTH_JWT_AUDIENCE: JWT.audience,
    // The fuzzer sends thousands of requests a minute as one caller; the limiter has its own tests.
    RATE_LIMIT_MAX: '0',
  });

  beforeAll(async () => {
    log(
      `fuzz: seed ${settings.seed}, ${settings.runs} in-process, ${settings.processRuns} process and ${settings.rawRuns} raw HTTP cases (FUZZ_SEED=${settings.seed} replays)`,
    );
    oms = new FakeOrderManagement();
    provider = new FakePaymentProvider();
    await Promise.all([oms.start(), provider.start()]);
    coordinator = await startTestCoordinator({
      extensions: [orders, payments],
      mode: 'redis',
      env: env(),
      concurrency: 2,
    });
    const docs = await coordinator.http.get<OpenApiDocument>('/docs-json');
    expect(docs.status).toBe(200);
    document = docs.body;
    ({ routes, resolve } = fuzzRoutes(mountedRoutes(coordinator.api), document));
    taskNames = coordinator.registry.allTasks().map((t) => t.definition.name);
  }, 60_000);

  afterAll(async () => {
    await coordinator?.close();
    await Promise.all([oms?.close(), provider?.close()]);
  });

  const context = (baseUrl: string, apiKey: string): FuzzContext => ({
    baseUrl,
    apiKey,
    jwt: JWT,
    webhookSecret: provider.webhookSecret,
    known: { orders: [], tasks: [] },
  });

  /** Throws the run's failure as it is, so the seed and counterexample read well. */
  function expectPassed(report: RouteFuzzReport): void {
    log(
      `fuzz: ${report.cases} cases, ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s${report.interrupted ? ' (time limit reached)' : ''}\n${statusTable(report)}`,
    );
    if (report.failure) throw new Error(report.failure);
  }

  function expectCoverage(report: RouteFuzzReport): void {
    if (report.cases < COVERAGE_MIN_CASES) return;
    // Authorised requests got past authentication and parsing into each DTO's validation.
    for (const route of routes.filter((r) => r.body?.dto)) {
      expect([...report.validationReached]).toContain(`${route.method} ${route.url}`);
    }
    expect(report.refusedCredentials).toBeGreaterThan(0);
    // Valid requests got through too: orders were accepted and webhooks verified.
    expect(report.statuses.get('POST /orders')?.get(202) ?? 0).toBeGreaterThan(0);
    expect(report.statuses.get('POST /payments/webhooks/stripe')?.get(200) ?? 0).toBeGreaterThan(0);
  }

  it('derives the routes from what the host mounted and the OpenAPI document it serves', () => {
    const byName = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
    expect(byName.get('POST /orders')).toMatchObject({
      protected: true,
      headers: ['idempotency-key'],
      body: { dto: true },
    });
    expect(byName.get('POST /orders/:id/cancel')).toMatchObject({
      protected: true,
      params: ['id'],
      body: { dto: true },
    });
    expect(byName.get('POST /payments/webhooks/stripe')).toMatchObject({ protected: false, body: { dto: false } });
    for (const route of [
      'GET /orders/:id',
      'GET /payments/:orderId/receipt',
      'GET /tasks/:id',
      'GET /docs-json',
      'GET /health/live',
    ]) {
      expect(byName.has(route)).toBe(true);
    }
    expect(resolve(routes.find((r) => r.url === '/orders')!.body!.schema).required).toEqual(
      expect.arrayContaining(['customerId', 'currency', 'lines']),
    );
  });

  it(
    'in-process: every answer is below 500 and says what is wrong; no crash, no prototype pollution',
    async () => {
      const before = snapshotPrototypes();
      const watch = watchCrashes();
      let report: RouteFuzzReport;
      try {
        report = await runRouteFuzz({
          target: 'in-process',
          routes,
          resolve,
          taskNames,
          ctx: context(coordinator.http.baseUrl, coordinator.apiKey('test')),
          runs: settings.runs,
          seed: settings.seed,
          path: settings.path,
          timeLimitMs: settings.timeLimitMs,
          progressEvery: settings.progressEvery,
          afterEach: () => [...pollutionProblems(before, { restore: true }), ...watch.crashes.splice(0)],
          replayCommand: REPLAY,
          collect: settings.collect,
          log,
        });
      } finally {
        watch.stop();
      }
      expectPassed(report);
      expect(watch.crashes).toEqual([]);
      expect(pollutionProblems(before)).toEqual([]);
      expect((await coordinator.http.get('/health/live')).status).toBe(200);
      expectCoverage(report);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'in-process: malformed HTTP framing gets a 4xx with a message, never a 5xx or silence',
    async () => {
      const watch = watchCrashes();
      const address = coordinator.api.getHttpServer().address();
      let result: Awaited<ReturnType<typeof runRawFuzz>>;
      try {
        result = await runRawFuzz({
          port: typeof address === 'object' && address ? address.port : 0,
          apiKey: coordinator.apiKey('test'),
          runs: settings.rawRuns,
          seed: settings.seed,
          path: settings.path,
          timeoutMs: 1_000,
          messagesOf: errorMessages,
          collect: settings.collect,
        });
      } finally {
        watch.stop();
      }
      const bare = [...result.bareRefusals].map(([label, n]) => `${label}×${n}`).join(', ');
      log(`fuzz[raw HTTP]: ${result.cases} cases${bare ? `; refused by Node itself with a bare status: ${bare}` : ''}`);
      if (result.failure) throw new Error(result.failure);
      expect(watch.crashes).toEqual([]);
      expect((await coordinator.http.get('/health/live')).status).toBe(200);
    },
    TEST_TIMEOUT_MS,
  );

  describe('the api-host bin as its own OS process', () => {
    let host: HostProcess | undefined;
    let exited: number | string | undefined;
    const prefix = `{fuzz-${randomBytes(4).toString('hex')}}`;
    const client = generateApiKey('fuzz', ['*']);

    beforeAll(async () => {
      host = await startHostProcess('api', {
        cwd: repoRoot,
        env: {
          ...env(),
          REDIS_URL: process.env.REDIS_URL,
          COORDINATOR_PREFIX: prefix,
          COORDINATOR_EXTENSIONS: '@coordinator/extension-orders,@coordinator/extension-payments',
          COORDINATOR_API_KEYS: JSON.stringify([client.entry]),
          LOG_LEVEL: 'warn',
        },
      });
      void host.exited.then((code) => (exited = code));
    }, 60_000);

    afterAll(async () => {
      await host?.stop();
      if (process.env.REDIS_URL) await deleteKeys(process.env.REDIS_URL, prefix);
    }, 30_000);

    it(
      'every answer is below 500 and says what is wrong; the process stays up',
      async () => {
        const served = await fetch(`${host!.url}/docs-json`, { headers: { authorization: `Bearer ${client.key}` } });
        // The same extensions and settings: the same routes as the in-process host (plus /metrics).
        expect(Object.keys(((await served.json()) as OpenApiDocument).paths).sort()).toEqual(
          Object.keys(document.paths).sort(),
        );
        const processRoutes: FuzzRoute[] = [
          ...routes,
          { method: 'GET', url: '/metrics', protected: false, params: [], headers: [] },
        ];
        const report = await runRouteFuzz({
          target: 'process',
          routes: processRoutes,
          resolve,
          taskNames,
          ctx: context(host!.url, client.key),
          runs: settings.processRuns,
          seed: settings.seed,
          path: settings.path,
          timeLimitMs: settings.timeLimitMs,
          progressEvery: settings.progressEvery,
          afterEach: () =>
            exited === undefined
              ? []
              : [`the API host process exited with ${exited}:\n${host!.output().slice(-3_000)}`],
          replayCommand: REPLAY,
          collect: settings.collect,
          log,
        });
        expectPassed(report);
        expect(exited).toBeUndefined();
        expect((await fetch(`${host!.url}/health/live`)).status).toBe(200);
        expect(host!.output()).not.toMatch(/uncaught|unhandled|Maximum call stack/i);
      },
      TEST_TIMEOUT_MS,
    );
  });
});

/** Removes the keys the process host wrote under its own prefix in the shared Redis. */
async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
