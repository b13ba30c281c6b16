/*
 * Everything around the body: credentials, the headers the coordinator reads
 * (Idempotency-Key, Stripe-Signature, Content-Type), stray headers, path ids and query
 * strings. Values are descriptions; `materialize` in route-fuzz.ts turns them into the
 * request, since some need the run's keys and secrets (a valid API key, a signature).
 */
import fc from 'fast-check';

/** Header values fetch can send: printable ASCII and Latin-1, tabs inside, no CR, LF or NUL. */
const headerChar = fc
  .oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
    { weight: 1, arbitrary: fc.constant(0x09) },
  )
  .map((code) => String.fromCharCode(code));

export const headerValue = (maxLength = 64) => fc.string({ unit: headerChar, maxLength });

const base64url = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes).toString('base64url'));

/** Who the request claims to be. */
export type Credential =
  /** The run's API key for the caller `test` (every scope), in one of the accepted spellings. */
  | { kind: 'api-key'; spelling: 'Bearer' | 'bearer' | 'Bearer  ' | 'Basic' }
  /** A token signed with the host's secret for the run's issuer and audience, every scope. */
  | { kind: 'jwt' }
  | { kind: 'none' }
  /** Must be refused with 401. */
  | { kind: 'invalid'; label: string; header: string }
  /** The run's API key, changed a little: 401. */
  | { kind: 'near-miss'; change: 'append' | 'drop-last' | 'flip-case' | 'truncate' }
  /** Signed with the right secret, claims broken: 401, or 403 for a token without scopes. */
  | { kind: 'jwt-claims'; label: string; claims: Record<string, unknown>; header?: Record<string, unknown> }
  /** Not signed by the host's secret (alg none, another secret): 401. */
  | { kind: 'jwt-forged'; label: string; alg: 'none' | 'HS256-other-secret' };

export function credential(): fc.Arbitrary<Credential> {
  const now = Math.floor(Date.now() / 1000);
  const invalid = (label: string, header: fc.Arbitrary<string>) =>
    header.map((value): Credential => ({ kind: 'invalid', label, header: value }));
  return fc.oneof(
    {
      weight: 60,
      arbitrary: fc.oneof(
        { weight: 9, arbitrary: fc.constant<Credential>({ kind: 'api-key', spelling: 'Bearer' }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Credential>(
            { kind: 'api-key', spelling: 'bearer' },
            { kind: 'api-key', spelling: 'Bearer  ' },
            { kind: 'api-key', spelling: 'Basic' },
          ),
        },
      ),
    },
    { weight: 5, arbitrary: fc.constant<Credential>({ kind: 'jwt' }) },
    { weight: 8, arbitrary: fc.constant<Credential>({ kind: 'none' }) },
    {
      weight: 20,
      arbitrary: fc.oneof(
        invalid(
          'unknown API key',
          fc
            .string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_'), minLength: 43, maxLength: 43 })
            .map((k) => `Bearer cck_${k}`),
        ),
        invalid(
          'junk',
          headerValue(200).filter((v) => v.trim() !== ''),
        ),
        invalid(
          'junk bearer',
          headerValue(200).map((v) => `Bearer ${v}`),
        ),
        invalid(
          'unknown scheme',
          fc.constantFrom(
            'Token abc',
            'Digest username="a"',
            'Bearer',
            'Bearer a b',
            'Negotiate',
            'Basic',
            'Bearer ,',
            'Bearer =',
          ),
        ),
        invalid(
          'Basic without a colon',
          base64url(40).map((v) => `Basic ${Buffer.from(v).toString('base64')}`),
        ),
        invalid(
          'Basic with an unknown key',
          headerValue(40).map((v) => `Basic ${Buffer.from(`user:${v}x`, 'latin1').toString('base64')}`),
        ),
        invalid('Basic not base64', fc.constantFrom('Basic !!!', 'Basic ====', 'Basic a', 'Basic YTpi:')),
        invalid(
          'JWT-shaped junk',
          fc
            .tuple(base64url(60), base64url(200), base64url(80))
            .map(([h, p, s]) => `Bearer ${h || 'e30'}.${p || 'e30'}.${s}`),
        ),
        invalid(
          'JWT with junk JSON',
          fc
            .tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }))
            .map(
              ([h, p]) =>
                `Bearer ${Buffer.from(JSON.stringify(h) ?? 'null').toString('base64url')}.${Buffer.from(JSON.stringify(p) ?? 'null').toString('base64url')}.c2ln`,
            ),
        ),
        invalid(
          'too long',
          fc.integer({ min: 8_193, max: 12_000 }).map((n) => `Bearer ${'a'.repeat(n)}`),
        ),
        fc.constantFrom<Credential>(
          { kind: 'near-miss', change: 'append' },
          { kind: 'near-miss', change: 'drop-last' },
          { kind: 'near-miss', change: 'flip-case' },
          { kind: 'near-miss', change: 'truncate' },
          { kind: 'jwt-forged', label: 'alg none', alg: 'none' },
          { kind: 'jwt-forged', label: 'signed with another secret', alg: 'HS256-other-secret' },
        ),
      ),
    },
    {
      weight: 7,
      arbitrary: fc.oneof(
        fc.constantFrom<Credential>(
          { kind: 'jwt-claims', label: 'expired', claims: { exp: now - 3_600 } },
          { kind: 'jwt-claims', label: 'not valid yet', claims: { nbf: now + 3_600 } },
          { kind: 'jwt-claims', label: 'another issuer', claims: { iss: 'https://evil.test' } },
          { kind: 'jwt-claims', label: 'another audience', claims: { aud: 'someone-else' } },
          { kind: 'jwt-claims', label: 'no exp', claims: { exp: undefined } },
          { kind: 'jwt-claims', label: 'no sub', claims: { sub: undefined } },
          { kind: 'jwt-claims', label: 'alg HS512 (not allowed)', claims: {}, header: { alg: 'HS512' } },
        ),
        fc
          .tuple(
            fc.constantFrom('exp', 'nbf', 'iat', 'iss', 'aud', 'sub', 'scope', 'scp'),
            fc.jsonValue({ maxDepth: 2 }),
          )
          .map(([claim, value]): Credential => ({
            kind: 'jwt-claims',
            label: `claim ${claim} = ${JSON.stringify(value)}`,
            claims: { [claim]: value },
          })),
      ),
    },
  );
}

/** The Idempotency-Key header: valid (8 to 128 printable ASCII), missing, or malformed. */
export type IdempotencyKey =
  { valid: true; value: string } | { valid: false; value: string | undefined; label: string };

export function idempotencyKey(): fc.Arbitrary<IdempotencyKey> {
  const printable = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .string({ unit: printable, minLength: 8, maxLength: 128 })
        .map((value): IdempotencyKey => ({ valid: true, value })),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant<IdempotencyKey>({ valid: false, value: undefined, label: 'missing' }),
        fc
          .string({ unit: printable, maxLength: 7 })
          .map((value): IdempotencyKey => ({ valid: false, value, label: 'too short' })),
        fc
          .string({ unit: printable, minLength: 129, maxLength: 400 })
          .map((value): IdempotencyKey => ({ valid: false, value, label: 'too long' })),
        fc
          .tuple(
            fc.string({ unit: printable, minLength: 4, maxLength: 20 }),
            headerValue(8).filter((v) => /[^\x21-\x7e]/.test(v.trim())),
          )
          .map(([a, b]): IdempotencyKey => ({ valid: false, value: `${a}${b}${a}`, label: 'not printable ASCII' })),
      ),
    },
  );
}

/** The Stripe-Signature header; `valid*` are computed over the exact body bytes when sent. */
export type StripeSignature =
  | { kind: 'missing' }
  | { kind: 'valid' }
  | { kind: 'stale' }
  | { kind: 'future' }
  | { kind: 'other-secret' }
  | { kind: 'junk'; value: string };

export function stripeSignature(): fc.Arbitrary<StripeSignature> {
  const now = Math.floor(Date.now() / 1000);
  const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 80 });
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<StripeSignature>({ kind: 'valid' }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<StripeSignature>(
        { kind: 'missing' },
        { kind: 'stale' },
        { kind: 'future' },
        { kind: 'other-secret' },
      ),
    },
    {
      weight: 3,
      arbitrary: fc
        .oneof(
          headerValue(200),
          hex.map((h) => `t=${now},v1=${h}`),
          fc.tuple(fc.integer(), hex).map(([t, h]) => `t=${t},v1=${h}`),
          fc.constantFrom(
            't=,v1=',
            't=abc,v1=00',
            'v1=00',
            't=1',
            ',,,,',
            `t=${now}`,
            `t=${now},v0=00,v1=`,
            `t=${'9'.repeat(400)},v1=00`,
          ),
          fc.integer({ min: 1, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `v1=${i}`).join(',')),
        )
        .map((value): StripeSignature => ({ kind: 'junk', value })),
    },
  );
}

/** Content types: mostly JSON, sometimes what a confused or hostile client sends. */
export function contentType(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 16, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constant('application/json; charset=utf-8') },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constantFrom(
          undefined,
          '',
          'text/plain',
          'text/plain; charset=utf-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/octet-stream',
          'application/JSON',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/vnd.api+json',
          'application/merge-patch+json',
          'application/json, text/plain',
          '*/*',
          'application/json;;',
          'application/json; boundary="',
        ),
        headerValue(40),
      ),
    },
  );
}

/** Content types the oracle holds to JSON expectations: the parser reads these as JSON. */
export function isPlainJson(type: string | undefined): boolean {
  return type === 'application/json' || type === 'application/json; charset=utf-8';
}

/** Header names fetch refuses or that change how HTTP frames the request: never sent. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'authorization',
  'content-type',
  'idempotency-key',
  'stripe-signature',
  'proxy-connection',
  'http2-settings',
]);

/** Headers the request carries besides the ones the coordinator reads. */
export function strayHeaders(): fc.Arbitrary<[string, string][]> {
  const name = fc
    .oneof(
      fc.constantFrom(
        'traceparent',
        'tracestate',
        'baggage',
        'accept',
        'accept-encoding',
        'accept-language',
        'content-encoding',
        'x-forwarded-for',
        'x-forwarded-proto',
        'x-forwarded-host',
        'x-request-id',
        'x-correlation-id',
        'cookie',
        'origin',
        'referer',
        'user-agent',
        'if-none-match',
        'range',
        'x-http-method-override',
        'forwarded',
        '__proto__',
      ),
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 30 }),
    )
    .filter((n) => !RESERVED_HEADERS.has(n));
  const value = fc.oneof(
    headerValue(120),
    fc.constantFrom(
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-' + '0'.repeat(32) + '-' + '0'.repeat(16) + '-00',
      'ff-x-y-z',
      'gzip',
      'br',
      'deflate',
      'identity, gzip',
      'bytes=0-1',
    ),
  );
  return fc.oneof(
    { weight: 20, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 5 }) },
    // Far more than Node reads (16 KiB of headers): 431 before any code of ours runs.
    {
      weight: 1,
      arbitrary: fc.integer({ min: 17_000, max: 40_000 }).map((n): [string, string][] => [['x-huge', 'h'.repeat(n)]]),
    },
  );
}

/** A path parameter. `routable` ones certainly reach the route (and so its access check). */
export type PathId =
  | { kind: 'uuid'; value: string }
  | { kind: 'known-order'; index: number }
  | { kind: 'known-task'; index: number }
  | { kind: 'task-shaped'; value: string }
  | { kind: 'hostile'; value: string }
  | { kind: 'junk'; value: string }
  | { kind: 'raw'; value: string }
  | { kind: 'long'; length: number };

export function pathId(taskNames: readonly string[]): fc.Arbitrary<PathId> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.uuid({ version: 4 }).map((value): PathId => ({ kind: 'uuid', value })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.uuid(),
          fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF'),
        )
        .map((value): PathId => ({ kind: 'uuid', value })),
    },
    { weight: 4, arbitrary: fc.nat().map((index): PathId => ({ kind: 'known-order', index })) },
    { weight: 2, arbitrary: fc.nat().map((index): PathId => ({ kind: 'known-task', index })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...taskNames, '__proto__', 'constructor', 'x'),
          fc.oneof(fc.uuid(), fc.constantFrom('deadbeef', '0'.repeat(64), '-'.repeat(8))),
        )
        .map(([name, token]): PathId => ({ kind: 'task-shaped', value: `${name}.${token}` })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '__proto__',
          'constructor',
          'prototype',
          'hasOwnProperty',
          'toString',
          '__defineGetter__',
          'null',
          'undefined',
          'NaN',
          '-1',
          '0',
        )
        .map((value): PathId => ({ kind: 'hostile', value })),
    },
    {
      weight: 3,
      arbitrary: fc
        .string({ unit: 'binary', minLength: 1, maxLength: 40 })
        .map((value): PathId => ({ kind: 'junk', value })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '',
          '.',
          '..',
          '%',
          '%zz',
          '%00',
          '%2e%2e',
          '%2F',
          'a%2Fb',
          '%E0%A4%A',
          '%C0%AE',
          '%u0041',
          ';x',
          'a/b',
          '\\',
          '%20',
          '~',
          "'",
          '"',
          '<x>',
          '{x}',
          '|',
        )
        .map((value): PathId => ({ kind: 'raw', value })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 101, max: 3_000 }).map((length): PathId => ({ kind: 'long', length })) },
  );
}

/** A query string (without the `?`), mostly absent. */
export function queryString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '__proto__[polluted]=yes',
        '__proto__.polluted=yes',
        'constructor[prototype][polluted]=yes',
        'a=1&a=2&a=3',
        '%zz=%zz',
        '&&&==',
        'status=failed&start=-1&end=99999999999',
        'limit=1e999',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 24 })), {
          minLength: 1,
          maxLength: 6,
        })
        .map((pairs) =>
          pairs.map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`).join('&'),
        ),
    },
  );
}

/** The string with lone surrogates replaced, so `encodeURIComponent` accepts it. */
export function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
