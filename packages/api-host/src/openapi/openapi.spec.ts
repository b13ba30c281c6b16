import { SettingsError, ExtensionRegistry, InlineTransport } from '@coordinator/core/runtime';
import orders from '@coordinator/extension-orders';
import payments from '@coordinator/extension-payments';
import { startTestCoordinator, type TestCoordinator } from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { createApiHost } from '../create-api-host.js';
import { testCaller } from '../auth/fixtures/test-caller.js';

// Dummy values: in inline mode nothing calls order management or the provider.
const env = {
  ORDERS_OMS_URL: 'http://127.0.0.1:9',
  PAYMENTS_PROVIDER_URL: 'http://127.0.0.1:9',
  PAYMENTS_PROVIDER_API_KEY: 'sk_test_docs',
  PAYMENTS_STRIPE_WEBHOOK_SECRET: 'whsec_docs',
  // Keys for the hosts built here directly; the harness adds its own caller beside it.
  ...testCaller(['*'], 'docs').env,
};

describe('OpenAPI document of the loaded extensions', () => {
  let coordinator: TestCoordinator;
  let document: OpenAPIObject;

  beforeAll(async () => {
    coordinator = await startTestCoordinator({ extensions: [orders, payments], mode: 'inline', env });
    const res = await coordinator.http.get<OpenAPIObject>('/docs-json');
    expect(res.status).toBe(200);
    document = res.body;
  });
  afterAll(() => coordinator?.close());

  const schema = (s: SchemaObject | ReferenceObject | undefined): SchemaObject => {
    if (s && '$ref' in s) return schema(document.components!.schemas![s.$ref.replace('#/components/schemas/', '')]);
    return s as SchemaObject;
  };
  const operation = (path: string, method: 'get' | 'post') =>
    (document.paths[path] as Record<string, OperationObject | undefined> | undefined)?.[method];

  it('describes POST /orders with the body schema built from the DTO and its standard answers', () => {
    const create = operation('/orders', 'post');
    expect(create).toBeDefined();
    expect(create!.tags).toEqual(['orders']);
    const body = schema(
      (create!.requestBody as { content: Record<string, { schema: SchemaObject }> }).content['application/json']!
        .schema,
    );
    expect(body.type).toBe('object');
    expect(Object.keys(body.properties!)).toEqual(
      expect.arrayContaining(['customerId', 'currency', 'lines', 'paymentMethod']),
    );
    expect(body.required).toEqual(expect.arrayContaining(['customerId', 'currency', 'lines']));
    expect(body.required).not.toContain('paymentMethod');
    expect(schema(body.properties!.customerId)).toMatchObject({ type: 'string', minLength: 1, maxLength: 64 });
    expect(schema(body.properties!.currency)).toMatchObject({ type: 'string', pattern: '^[A-Z]{3}$' });

    const lines = schema(body.properties!.lines);
    expect(lines).toMatchObject({ type: 'array', minItems: 1, maxItems: 100 });
    const line = schema(lines.items);
    expect(Object.keys(line.properties!).sort()).toEqual(['quantity', 'sku', 'unitPrice']);
    expect(line.required).toEqual(expect.arrayContaining(['sku', 'quantity', 'unitPrice']));
    expect(schema(line.properties!.quantity)).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 });

    expect(Object.keys(create!.responses)).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '404', '409', '413', '422', '429', '503']),
    );
    expect((create!.responses['401'] as { description: string }).description).toMatch(/no credentials/);
    expect(create!.security).toEqual([{ bearer: ['orders:write'] }]);
    expect(create!.description).toContain('Needs the scope(s) `orders:write`.');
    expect(document.components?.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect((create!.responses['503'] as { headers: object }).headers).toHaveProperty('Retry-After');
    expect(create!.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]),
    );
  });

  it('lists every route of both extensions under its extension, each with the standard answers', () => {
    const routes: [string, 'get' | 'post', string, string[] | undefined][] = [
      ['/orders/{id}', 'get', 'orders', ['orders:read']],
      ['/orders/{id}/cancel', 'post', 'orders', ['orders:write']],
      ['/payments/webhooks/stripe', 'post', 'payments', undefined],
      ['/payments/{orderId}/receipt', 'get', 'payments', ['payments:read']],
    ];
    for (const [path, method, tag, scopes] of routes) {
      const op = operation(path, method);
      expect({ path, tags: op?.tags }).toEqual({ path, tags: [tag] });
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['400', '404', '409', '413', '422', '503']));
      // A public route (the provider's webhook) needs no credentials, and says so.
      expect({ path, security: op!.security }).toEqual({ path, security: scopes ? [{ bearer: scopes }] : [] });
      expect('401' in op!.responses).toBe(scopes !== undefined);
    }
    expect(document.tags!.map((t) => t.name)).toEqual(expect.arrayContaining(['orders', 'payments']));
    // The host's own routes are documented too, without the extensions' answers.
    expect(operation('/tasks/{id}', 'get')).toBeDefined();
  });

  it("documents the health checks' answers, added when the document is built rather than at start", () => {
    for (const path of ['/health/live', '/health/ready']) {
      const op = operation(path, 'get')!;
      expect({ path, security: op.security, tags: op.tags }).toEqual({ path, security: [], tags: ['coordinator'] });
      const ok = op.responses['200'] as ResponseObject;
      const down = op.responses['503'] as ResponseObject;
      expect(ok.description).toBe('The check passed');
      expect(down.description).toBe('The check failed, or the host is shutting down');
      expect(schema(ok.content!['application/json']!.schema).properties!['status']).toMatchObject({ enum: ['ok'] });
      expect(schema(down.content!['application/json']!.schema).properties!['status']).toMatchObject({
        enum: ['error', 'shutting_down'],
      });
    }
  });

  it('serves Swagger UI at /docs to authenticated callers; a browser is asked for the key', async () => {
    const anonymous = await fetch(`${coordinator.http.baseUrl}/docs`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic realm="coordinator"');
    const password = coordinator.apiKey('test');
    const res = await fetch(`${coordinator.http.baseUrl}/docs`, {
      headers: { authorization: `Basic ${Buffer.from(`operator:${password}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('swagger-ui');
  });
});

describe('DOCS_ENABLED', () => {
  const registry = new ExtensionRegistry([orders, payments]);

  it('set to false serves no documentation', async () => {
    const app = await createApiHost({
      registry,
      transport: new InlineTransport(registry),
      env: { ...env, DOCS_ENABLED: 'false' },
      logger: false,
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/docs-json' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('refuses a value other than true or false, naming the variable', async () => {
    const start = createApiHost({
      registry,
      transport: new InlineTransport(registry),
      env: { ...env, DOCS_ENABLED: 'maybe' },
      logger: false,
    });
    await expect(start).rejects.toBeInstanceOf(SettingsError);
    await expect(start).rejects.toThrow(/DOCS_ENABLED/);
  });
});
