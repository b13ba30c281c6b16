/*
 * Request bodies: valid ones from a route's schema, and adversarial ones. Most are a
 * valid body with one thing wrong (a field of another type, missing, extra, too long,
 * too many, nested 20,000 levels deep, a `__proto__` key), so the answer can be held to
 * naming that field; the rest are broken at the byte level (invalid JSON or UTF-8,
 * empty, random bytes, larger than any body limit).
 */
import fc from 'fast-check';
import { getAt, nested, pathName, RawJson, setAt, toJsonText, withOwnKey, type JsonPath } from './json-text.js';
import { jsonTypeOf, slotsOf, validValue, type JsonSchema, type SchemaResolver, type Slot } from './schema-values.js';

/** What a well-formed, authorised request with this body must be answered. */
export type BodyExpectation =
  /** The schema accepts it: anything but 400 (and 5xx). */
  | { kind: 'valid' }
  /** 400 (or 413) whose message names one of `names`, or any message when `names` is empty. */
  | { kind: 'invalid'; names: readonly string[] }
  /** Larger than every body limit: 413. */
  | { kind: 'too-large' }
  /** Anything below 500. */
  | { kind: 'any' };

/** A body as sent: its bytes and what the fuzzer knows about them. */
export interface BodyCase {
  /** What was done to it, for the failure report: `wrong type at lines.0.quantity`. */
  label: string;
  bytes: Buffer;
  expect: BodyExpectation;
}

/** Larger than the largest body limit of the host (256 KiB, the webhook's). */
export const OVERSIZED_BYTES = 300 * 1024;

/** Property names that have bitten JavaScript parsers and validators before. */
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '$where',
  'isAdmin',
];

/** A value of another JSON type than `value`; `null` only where null is not "absent". */
function otherTypeValue(value: unknown, allowNull: boolean): fc.Arbitrary<unknown> {
  const candidates: unknown[] = [0, -1, 1.5, 1e21, '', 'x', 'ünï', true, false, [], [1, 'a'], {}, { a: 1 }];
  if (allowNull) candidates.push(null);
  const type = jsonTypeOf(value);
  return fc.constantFrom(...candidates.filter((candidate) => jsonTypeOf(candidate) !== type));
}

/** The name a message about `path` must contain: the last property name on it. */
function namesFor(path: JsonPath): string[] {
  const last = [...path].reverse().find((segment) => typeof segment === 'string');
  return last === undefined ? [] : [last];
}

/**
 * What the answer to an extra property must name. Fastify refuses a `__proto__` key
 * (and `constructor.prototype`) as invalid JSON, naming no field. class-transformer drops
 * keys that name a member of `Object.prototype` (`constructor`, `hasOwnProperty`, …) or
 * `prototype` before class-validator's whitelist sees them: such a body is accepted
 * without the key (`null`: no expectation) instead of refused.
 */
function namesForExtraKey(key: string): string[] | null {
  if (key === '__proto__') return [];
  if (key in Object.prototype || key === 'prototype') return null;
  return [key];
}

/** A string the pattern refuses. */
function patternBreaker(pattern: string): fc.Arbitrary<string> {
  const regex = new RegExp(pattern);
  return fc
    .oneof(fc.constantFrom('', ' ', 'lower', '!!!', 'a b', '\u0000', '<script>', 'ABCDE', '12'), fc.string())
    .filter((candidate) => !regex.test(candidate));
}

/**
 * One field of a valid value made invalid, and which name the answer must mention
 * (`null`: none can be required, as when a body without required fields is replaced whole).
 */
function fieldMutation(
  value: unknown,
  slot: Slot,
): fc.Arbitrary<{ label: string; body: unknown; names: string[] | null }> {
  const { path, schema } = slot;
  const at = pathName(path) || '(root)';
  // A body whose fields are all optional may be anything at its root: no expectation there.
  const names = path.length === 0 && (schema.required?.length ?? 0) === 0 ? null : namesFor(path);
  const current = getAt(value, path);
  const options: fc.Arbitrary<{ label: string; body: unknown; names: string[] | null }>[] = [];
  const set = (label: string, replacement: fc.Arbitrary<unknown>, expected: string[] | null = names) =>
    options.push(
      replacement.map((v) => ({ label: `${label} at ${at}`, body: setAt(value, path, v), names: expected })),
    );

  // The root of a body with required fields; elsewhere a field that must not be null.
  if (path.length > 0 || (schema.required?.length ?? 0) > 0) set('wrong type', otherTypeValue(current, slot.required));
  if (slot.required && path.length > 0) set('missing', fc.constant(undefined));
  set('1e999 (Infinity)', fc.constant(new RawJson('1e999')));
  set(
    'nested deeply',
    fc
      .tuple(fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 65, max: 25_000 })), fc.boolean())
      .map(([depth, asArray]) => nested(depth, asArray ? 'array' : 'object')),
    // A depth limit answers without naming the field.
    names?.length ? [...names, 'deep', 'nested'] : names,
  );
  if (schema.type === 'object' && typeof current === 'object' && current !== null && !Array.isArray(current)) {
    const known = Object.keys(schema.properties ?? {});
    const extraKey = fc.oneof(
      fc.constantFrom(...HOSTILE_KEYS),
      fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !known.includes(key)),
    );
    options.push(
      fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })).map(([key, extra]) => ({
        label: `extra property ${JSON.stringify(key)} at ${at}`,
        body: setAt(value, path, withOwnKey(current as Record<string, unknown>, key, extra)),
        names: namesForExtraKey(key),
      })),
    );
  }
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      set(
        'too long',
        fc.integer({ min: max + 1, max: max + 2_000 }).map((n) => 'x'.repeat(n)),
      );
    }
    if (schema.pattern) set('pattern broken', patternBreaker(schema.pattern));
    if ((schema.minLength ?? 0) > 0) set('empty string', fc.constant(''));
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const outside: number[] = [];
    if (schema.minimum !== undefined) outside.push(schema.minimum - 1, -1e15);
    if (schema.maximum !== undefined) outside.push(schema.maximum + 1, 1e300);
    if (schema.type === 'integer') outside.push(1.5, 2 ** 53 + 2);
    if (outside.length) set('out of range', fc.constantFrom(...outside));
  }
  if (schema.type === 'array' && Array.isArray(current)) {
    if (schema.maxItems !== undefined) {
      const max = schema.maxItems;
      set(
        'too many items',
        fc
          .integer({ min: max + 1, max: max + 300 })
          .map((n) => Array.from({ length: n }, (_, i) => current[i % current.length] ?? 1)),
      );
    }
    if ((schema.minItems ?? 0) > 0) set('too few items', fc.constant([]));
  }
  return fc.oneof(...options);
}

/** Hostile text that parses (or must be refused by the parser) and must never pollute a prototype. */
function prototypeAttack(value: unknown): fc.Arbitrary<BodyCase> {
  const text = toJsonText(value);
  const inner = text.length > 2 ? text.slice(1) : '}';
  return fc
    .constantFrom(
      `{"__proto__":{"polluted":"yes","isAdmin":true},${inner}`,
      `{"constructor":{"prototype":{"polluted":"yes"}},${inner}`,
      `{"__proto__":[],${inner}`,
      `{"a":{"__proto__":{"polluted":"yes"}},${inner}`,
      `[{"__proto__":{"polluted":"yes"}}]`,
      `{"__proto__":{"__proto__":{"polluted":"yes"}}}`,
      `{"\\u005f_proto__":{"polluted":"yes"},${inner}`,
    )
    .map((attack) => ({
      label: 'prototype pollution attempt',
      bytes: Buffer.from(attack),
      expect: { kind: 'invalid', names: [] },
    }));
}

/** Text that is not JSON, or bytes that are not UTF-8. */
function brokenBytes(value: unknown): fc.Arbitrary<BodyCase> {
  const text = toJsonText(value);
  const bytes = Buffer.from(text);
  const invalid = (label: string, broken: Buffer): BodyCase => ({
    label,
    bytes: broken,
    expect: { kind: 'invalid', names: [] },
  });
  const any = (label: string, broken: Buffer): BodyCase => ({ label, bytes: broken, expect: { kind: 'any' } });
  const utf8Breakers = [
    [0xc3, 0x28],
    [0xff],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xc0, 0xaf],
    [0xe2, 0x82],
  ];
  return fc.oneof(
    fc
      .integer({ min: 1, max: Math.max(1, text.length - 1) })
      .map((cut) => invalid(`truncated at ${cut}`, bytes.subarray(0, cut))),
    fc
      .constantFrom('x', '}', ',', '{}', '\u0000', ']')
      .map((tail) => invalid(`trailing ${JSON.stringify(tail)}`, Buffer.from(text + tail))),
    fc
      .constantFrom(`{'a':1}`, '{"a":1,}', '{"a":1 // c\n}', '{"a":NaN}', '{"a":undefined}', '{a:1}', '"\\x41"')
      .map((t) => invalid(`not JSON: ${t}`, Buffer.from(t))),
    fc.tuple(fc.constantFrom(...utf8Breakers), fc.nat()).map(([breaker, at]) => {
      // Inside a string when there is one: right after the first quote.
      const quote = bytes.indexOf(0x22);
      const position = quote >= 0 ? quote + 1 : at % (bytes.length + 1);
      return any(
        `invalid UTF-8 ${Buffer.from(breaker).toString('hex')} at byte ${position}`,
        Buffer.concat([bytes.subarray(0, position), Buffer.from(breaker), bytes.subarray(position)]),
      );
    }),
    fc.constant(any('UTF-8 byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]))),
    fc.uint8Array({ maxLength: 2_000 }).map((random) => any('random bytes', Buffer.from(random))),
  );
}

/**
 * Bodies for a route whose request body has this schema, each with what a well-formed,
 * authorised request carrying it must be answered.
 */
export function schemaBody(schema: JsonSchema, resolve: SchemaResolver): fc.Arbitrary<BodyCase> {
  const hasRequired = (resolve(schema).required?.length ?? 0) > 0;
  const mutated = validValue(schema, resolve).chain((value) => {
    const slots = slotsOf(value, schema, resolve);
    const field = fc
      .nat({ max: slots.length - 1 })
      .chain((index) => fieldMutation(value, slots[index]!))
      .map(({ label, body, names }): BodyCase => ({
        label,
        bytes: Buffer.from(toJsonText(body)),
        expect: names === null ? { kind: 'any' } : { kind: 'invalid', names },
      }));
    const root = fc.constantFrom('null', '[]', '42', '"text"', 'true', '[{}]').map((text): BodyCase => ({
      label: `a JSON ${text} instead of an object`,
      bytes: Buffer.from(text),
      expect: hasRequired ? { kind: 'invalid', names: [] } : { kind: 'any' },
    }));
    return fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constant<BodyCase>({
          label: 'valid',
          bytes: Buffer.from(toJsonText(value)),
          expect: { kind: 'valid' },
        }),
      },
      { weight: 10, arbitrary: field },
      { weight: 2, arbitrary: prototypeAttack(value) },
      { weight: 3, arbitrary: brokenBytes(value) },
      { weight: 1, arbitrary: root },
    );
  });
  return fc.oneof({ weight: 19, arbitrary: mutated }, { weight: 1, arbitrary: sizeAndEmptiness() });
}

/** Empty bodies, random JSON and bodies larger than any limit. */
export function sizeAndEmptiness(): fc.Arbitrary<BodyCase> {
  return fc.oneof(
    fc.constant<BodyCase>({ label: 'empty', bytes: Buffer.alloc(0), expect: { kind: 'any' } }),
    fc
      .constantFrom(' ', '\n\t ')
      .map((ws): BodyCase => ({ label: 'whitespace only', bytes: Buffer.from(ws), expect: { kind: 'any' } })),
    fc.jsonValue({ maxDepth: 3 }).map((json): BodyCase => ({
      label: 'random JSON',
      bytes: Buffer.from(JSON.stringify(json) ?? 'null'),
      expect: { kind: 'any' },
    })),
    fc.integer({ min: OVERSIZED_BYTES, max: OVERSIZED_BYTES + 4_096 }).map((size): BodyCase => ({
      label: `${size} bytes`,
      bytes: Buffer.from(`{"a":"${'x'.repeat(size)}"}`),
      expect: { kind: 'too-large' },
    })),
  );
}
