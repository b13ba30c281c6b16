/*
 * The route fuzzer's model: the routes the API host mounted, described by its own
 * OpenAPI document (body schemas from the DTOs, documented headers), and arbitrary
 * requests against them, each turned into a real HTTP request to 127.0.0.1.
 */
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { schemaBody, sizeAndEmptiness, type BodyCase } from './body-cases.js';
import {
  contentType,
  credential,
  idempotencyKey,
  pathId,
  queryString,
  strayHeaders,
  stripeSignature,
  wellFormed,
  type Credential,
  type IdempotencyKey,
  type PathId,
  type StripeSignature,
} from './request-parts.js';
import { schemaResolver, type JsonSchema, type SchemaResolver } from './schema-values.js';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | undefined>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

/** A route as Fastify mounted it (see `mountedRoutes` of `@coordinator/api-host`). */
export interface MountedRouteInfo {
  method: string;
  url: string;
  policy: { kind: string };
}

/** A route to fuzz. */
export interface FuzzRoute {
  method: string;
  /** Fastify form: `/orders/:id`, `/admin/queues/*`. */
  url: string;
  /** Public routes answer without credentials; the others answer 401 to bad ones. */
  protected: boolean;
  params: readonly string[];
  /** Header parameters the document names (lower-case). */
  headers: readonly string[];
  /** The OpenAPI document describes it (the API proper, not the dashboard's or the docs' own routes). */
  documented?: boolean;
  /**
   * The request body's schema. `dto`: the route validates it with a DTO, so the oracle
   * holds answers to the schema; else (a provider's webhook) it only checks for sanity.
   */
  body?: { schema: JsonSchema; dto: boolean };
}

/**
 * A Stripe event as the payments webhook reads it: the fields the coordinator maps
 * (type, data.object.metadata.orderId, amount, currency, payment_intent, errors).
 */
export const STRIPE_EVENT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'type', 'created', 'data'],
  properties: {
    id: { type: 'string', pattern: '^evt_[A-Za-z0-9]{4,24}$' },
    object: { enum: ['event'] },
    type: {
      enum: ['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded', 'customer.created'],
    },
    created: { type: 'integer', minimum: 1_600_000_000, maximum: 1_900_000_000 },
    livemode: { type: 'boolean' },
    data: {
      type: 'object',
      required: ['object'],
      properties: {
        object: {
          type: 'object',
          required: ['object', 'id', 'metadata', 'amount', 'currency'],
          properties: {
            object: { enum: ['payment_intent', 'charge'] },
            id: { type: 'string', pattern: '^(pi|ch)_[A-Za-z0-9]{4,24}$' },
            payment_intent: { type: 'string', pattern: '^pi_[A-Za-z0-9]{4,24}$' },
            metadata: {
              type: 'object',
              required: ['orderId'],
              properties: { orderId: { type: 'string', format: 'uuid' } },
            },
            amount: { type: 'integer', minimum: 0, maximum: 1_000_000 },
            amount_refunded: { type: 'integer', minimum: 0, maximum: 1_000_000 },
            currency: { enum: ['eur', 'usd', 'EUR'] },
            last_payment_error: {
              type: 'object',
              properties: { code: { type: 'string', maxLength: 40 }, message: { type: 'string', maxLength: 200 } },
            },
          },
        },
      },
    },
  },
};

/**
 * The routes to fuzz: every route Fastify mounted (HEAD and OPTIONS aside), with the body
 * schema and header parameters the OpenAPI document gives it.
 */
export function fuzzRoutes(
  mounted: readonly MountedRouteInfo[],
  document: OpenApiDocument,
): { routes: FuzzRoute[]; resolve: SchemaResolver } {
  const resolve = schemaResolver(document.components?.schemas ?? {});
  const routes: FuzzRoute[] = [];
  const seen = new Set<string>();
  for (const route of mounted) {
    if (route.method === 'HEAD' || route.method === 'OPTIONS') continue;
    const key = `${route.method} ${route.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const openApiPath = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = document.paths[openApiPath]?.[route.method.toLowerCase()];
    const headers = (operation?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
    const schema = operation?.requestBody?.content?.['application/json']?.schema;
    let body: FuzzRoute['body'];
    if (schema) body = { schema, dto: true };
    else if (headers.includes('stripe-signature')) body = { schema: STRIPE_EVENT_SCHEMA, dto: false };
    else if (route.method !== 'GET') body = { schema: {}, dto: false };
    routes.push({
      method: route.method,
      url: route.url,
      protected: route.policy.kind !== 'public',
      params: [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
      headers,
      body,
      documented: operation !== undefined,
    });
  }
  return { routes, resolve };
}

/** One generated request, as a description; {@link materialize} makes it concrete. */
export interface FuzzCase {
  route: FuzzRoute;
  method: string;
  ids: PathId[];
  /** What replaces a `*` in the route. */
  tail: string;
  query: string;
  credential: Credential;
  idempotencyKey: IdempotencyKey;
  signature: StripeSignature;
  contentType: string | undefined;
  body: BodyCase | undefined;
  stray: [string, string][];
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function wildcardTail(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      'api/queues',
      'static/js/main.js',
      'queue/orders',
      'api/queues/orders/jobs/x',
      '../../../../etc/passwd',
      '%2e%2e/%2e%2e/etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      'index.html',
      '%00',
      'a'.repeat(300),
    ),
    fc
      .array(fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }), { maxLength: 4 })
      .map((segments) => segments.map((s) => encodeURIComponent(wellFormed(s))).join('/')),
  );
}

function caseFor(route: FuzzRoute, resolve: SchemaResolver, taskNames: readonly string[]): fc.Arbitrary<FuzzCase> {
  const body = route.body ? schemaBody(route.body.schema, resolve) : sizeAndEmptiness();
  return fc.record({
    route: fc.constant(route),
    method: fc.oneof(
      { weight: 14, arbitrary: fc.constant(route.method) },
      { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS.filter((m) => m !== route.method)) },
    ),
    ids: fc.tuple(...route.params.map(() => pathId(taskNames))),
    tail: route.url.includes('*') ? wildcardTail() : fc.constant(''),
    query: queryString(),
    credential: credential(),
    idempotencyKey: idempotencyKey(),
    signature: stripeSignature(),
    contentType: contentType(),
    body: fc.option(body, { freq: 12, nil: undefined }),
    stray: strayHeaders(),
  });
}

/**
 * Arbitrary requests over all routes: the API's routes with a body most often, as most
 * of what a client controls is there, then the other documented routes, then the rest
 * (the dashboard's API and the docs' files, dozens of routes that would otherwise take
 * most of the run).
 */
export function fuzzCase(
  routes: readonly FuzzRoute[],
  resolve: SchemaResolver,
  taskNames: readonly string[],
): fc.Arbitrary<FuzzCase> {
  return fc.limitShrink(
    fc.oneof(
      ...routes.map((route) => ({
        weight: route.body?.dto || route.headers.includes('stripe-signature') ? 24 : route.documented ? 6 : 1,
        arbitrary: caseFor(route, resolve, taskNames),
      })),
    ),
    200,
  );
}

/** What a run knows: where the host is, its keys and secrets, and ids it handed out. */
export interface FuzzContext {
  baseUrl: string;
  apiKey: string;
  jwt: { secret: string; issuer: string; audience: string };
  webhookSecret: string;
  known: { orders: string[]; tasks: string[] };
}

/** A concrete request. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** The path certainly matches the route, so its access check runs. */
  routable: boolean;
  /** Every path id is a version-4 UUID (or an id the host handed out), as the extensions' routes require. */
  idsValid: boolean;
  /** The credential is valid for every scope. */
  authorised: 'yes' | 'no' | 'maybe';
}

const FALLBACK_ID = '3f0c8b1e-2d4a-4c6b-9e8f-1a2b3c4d5e6f';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function idText(id: PathId, ctx: FuzzContext): { text: string; routable: boolean } {
  switch (id.kind) {
    case 'uuid':
    case 'task-shaped':
    case 'hostile':
      return { text: id.value, routable: true };
    case 'known-order':
      return { text: ctx.known.orders[id.index % Math.max(1, ctx.known.orders.length)] ?? FALLBACK_ID, routable: true };
    case 'known-task':
      return {
        text: ctx.known.tasks[id.index % Math.max(1, ctx.known.tasks.length)] ?? `orders.submit.${FALLBACK_ID}`,
        routable: true,
      };
    case 'junk': {
      const text = encodeURIComponent(wellFormed(id.value));
      // Fastify refuses parameters over 100 characters; `.` and `..` are removed by URL resolution.
      return { text, routable: text.length <= 100 && !/^\.{1,2}$/.test(text) };
    }
    case 'raw':
      return { text: id.value, routable: false };
    case 'long':
      return { text: 'a'.repeat(id.length), routable: false };
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS signed with HMAC; claims set to `undefined` are left out. */
function hmacJwt(header: Record<string, unknown>, claims: Record<string, unknown>, secret: string): string {
  const alg = String(header.alg ?? 'HS256');
  const signing = `${b64url(header)}.${b64url(claims)}`;
  if (alg === 'none') return `${signing}.`;
  const hash = alg === 'HS512' ? 'sha512' : alg === 'HS384' ? 'sha384' : 'sha256';
  return `${signing}.${createHmac(hash, secret).update(signing).digest('base64url')}`;
}

function authorization(
  c: Credential,
  ctx: FuzzContext,
): { header: string | undefined; authorised: FuzzRequest['authorised'] } {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'fuzz', scope: '*', iss: ctx.jwt.issuer, aud: ctx.jwt.audience, iat: now, exp: now + 300 };
  switch (c.kind) {
    case 'api-key':
      if (c.spelling === 'Basic')
        return { header: `Basic ${Buffer.from(`fuzz:${ctx.apiKey}`).toString('base64')}`, authorised: 'yes' };
      return { header: `${c.spelling} ${ctx.apiKey}`, authorised: 'yes' };
    case 'jwt':
      return { header: `Bearer ${hmacJwt({ alg: 'HS256', typ: 'JWT' }, claims, ctx.jwt.secret)}`, authorised: 'yes' };
    case 'none':
      return { header: undefined, authorised: 'no' };
    case 'invalid':
      return { header: c.header, authorised: 'no' };
    case 'near-miss': {
      const key = ctx.apiKey;
      const changed =
        c.change === 'append'
          ? `${key}A`
          : c.change === 'drop-last'
            ? key.slice(0, -1)
            : c.change === 'truncate'
              ? key.slice(0, 10)
              : key.replace(/(?<=_.*)[A-Za-z]/, (ch) =>
                  ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase(),
                );
      return { header: `Bearer ${changed === key ? `${key}x` : changed}`, authorised: 'no' };
    }
    case 'jwt-claims': {
      const merged: Record<string, unknown> = { ...claims, ...c.claims };
      for (const name of Object.keys(c.claims)) if (c.claims[name] === undefined) delete merged[name];
      return {
        header: `Bearer ${hmacJwt({ alg: 'HS256', typ: 'JWT', ...c.header }, merged, ctx.jwt.secret)}`,
        authorised: 'maybe',
      };
    }
    case 'jwt-forged':
      return {
        header: `Bearer ${c.alg === 'none' ? hmacJwt({ alg: 'none' }, claims, '') : hmacJwt({ alg: 'HS256' }, claims, `not-${ctx.jwt.secret}`)}`,
        authorised: 'no',
      };
  }
}

function signatureHeader(signature: StripeSignature, body: Buffer | undefined, secret: string): string | undefined {
  const sign = (t: number, key: string) =>
    `t=${t},v1=${createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(`${t}.`), body ?? Buffer.alloc(0)]))
      .digest('hex')}`;
  const now = Math.floor(Date.now() / 1000);
  switch (signature.kind) {
    case 'missing':
      return undefined;
    case 'valid':
      return sign(now, secret);
    case 'stale':
      return sign(now - 3_600, secret);
    case 'future':
      return sign(now + 3_600, secret);
    case 'other-secret':
      return sign(now, `${secret}-other`);
    case 'junk':
      return signature.value;
  }
}

/** The concrete request for a case. */
export function materialize(c: FuzzCase, ctx: FuzzContext): FuzzRequest {
  let routable = c.method === c.route.method;
  let idsValid = true;
  let index = 0;
  const path = c.route.url
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        const id = idText(c.ids[index++]!, ctx);
        routable &&= id.routable;
        idsValid &&= UUID_V4.test(id.text);
        return id.text;
      }
      if (segment === '*') {
        routable &&= !c.tail.includes('..') && !c.tail.includes('%') && c.tail.length <= 100;
        return c.tail;
      }
      return segment;
    })
    .join('/');
  const url = `${ctx.baseUrl}${path}${c.query ? `?${c.query}` : ''}`;
  const withBody = c.method !== 'GET' && c.method !== 'HEAD';
  const body = withBody ? c.body?.bytes : undefined;
  const headers: Record<string, string> = {};
  const { header, authorised } = authorization(c.credential, ctx);
  if (header !== undefined) headers.authorization = header;
  if (c.route.headers.includes('idempotency-key') && c.idempotencyKey.value !== undefined) {
    headers['idempotency-key'] = c.idempotencyKey.value;
  }
  if (c.route.headers.includes('stripe-signature')) {
    const signature = signatureHeader(c.signature, body, ctx.webhookSecret);
    if (signature !== undefined) headers['stripe-signature'] = signature;
  }
  if (withBody && c.contentType !== undefined) headers['content-type'] = c.contentType;
  for (const [name, value] of c.stray) headers[name] ??= value;
  return { method: c.method, url, headers, body, routable, idsValid, authorised };
}

/** The host's answer, or why there was none. */
export type FuzzAnswer =
  | { status: number; contentType: string | null; wwwAuthenticate: string | null; text: string; ms: number }
  | { error: string; ms: number };

/** Sends a request with fetch; a timeout or a reset connection is an answer too ("none"). */
export async function send(request: FuzzRequest, timeoutMs = 10_000): Promise<FuzzAnswer> {
  const started = performance.now();
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      wwwAuthenticate: response.headers.get('www-authenticate'),
      text,
      ms: performance.now() - started,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      error: `${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`,
      ms: performance.now() - started,
    };
  }
}

/** Remembers the order and task ids a success handed out, so later cases can ask about them. */
export function learn(answer: FuzzAnswer, ctx: FuzzContext): void {
  if ('error' in answer || answer.status >= 300) return;
  try {
    const body = JSON.parse(answer.text) as { orderId?: unknown; taskId?: unknown };
    if (typeof body.orderId === 'string' && !ctx.known.orders.includes(body.orderId))
      ctx.known.orders.push(body.orderId);
    if (typeof body.taskId === 'string' && !ctx.known.tasks.includes(body.taskId)) ctx.known.tasks.push(body.taskId);
  } catch {
    // Not JSON: nothing to learn.
  }
}

const EXCERPT = 400;

function excerpt(text: string, max = EXCERPT): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** The body as a person reads it: text when it is UTF-8, else hex, cut short. */
function bodyExcerpt(body: Buffer | undefined): string {
  if (body === undefined) return '(none)';
  const text = body.toString('utf8');
  const valid = Buffer.from(text).equals(body);
  const shown = valid ? JSON.stringify(excerpt(text)) : `hex ${excerpt(body.toString('hex'))}`;
  return `${shown} (${body.length} bytes${valid ? '' : ', not UTF-8'})`;
}

/** Keys and tokens are shortened: a report should name the credential, not carry it. */
function shownHeaders(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    shown[name] =
      name === 'authorization' && value.length > 24
        ? `${value.slice(0, 20)}… (${value.length} characters)`
        : excerpt(value, 200);
  }
  return shown;
}

/** The counterexample as a failure message shows it. */
export function describeExchange(c: FuzzCase, request: FuzzRequest, answer: FuzzAnswer): string {
  const lines = [
    `request:  ${request.method} ${excerpt(request.url.replace(/^https?:\/\/[^/]+/, ''), 300)}`,
    `route:    ${c.route.method} ${c.route.url}${request.routable ? '' : ' (path may not reach it)'}`,
    `headers:  ${JSON.stringify(shownHeaders(request.headers))}`,
    `credential: ${describeCredential(c.credential)}`,
    `body:     ${c.body && request.body ? `${c.body.label}: ` : ''}${bodyExcerpt(request.body)}`,
  ];
  if ('error' in answer) lines.push(`answer:   none after ${Math.round(answer.ms)} ms: ${answer.error}`);
  else {
    lines.push(`status:   ${answer.status} (${answer.contentType ?? 'no content type'}, ${Math.round(answer.ms)} ms)`);
    lines.push(`response: ${excerpt(answer.text, 600) || '(empty)'}`);
  }
  return lines.join('\n');
}

function describeCredential(c: Credential): string {
  switch (c.kind) {
    case 'api-key':
      return `the test API key (${c.spelling})`;
    case 'jwt':
      return 'a valid token';
    case 'none':
      return 'none';
    case 'near-miss':
      return `the test API key, changed (${c.change})`;
    default:
      return `${c.kind}: ${c.label}`;
  }
}
