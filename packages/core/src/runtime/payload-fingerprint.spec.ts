import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { payloadFingerprint } from './payload-fingerprint.js';
import { seededRandom } from './fixtures/seeded-random.js';

/**
 * The canonical form fingerprints were first stored with. Jobs keep their fingerprint for as
 * long as they are kept, and a later dispatch with the same key is compared with it, so every
 * version must produce this exact text.
 */
function referenceJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const reference = (value: unknown) => createHash('sha256').update(referenceJson(value)).digest('hex');

const KEYS = ['a', 'b', 'B', 'aa', '', 'z', 'é', '10', '9', '__proto__x', 'line"s', '\u{1f600}', 'ä', 'Z'];

function generate(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 7 : 10));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return next() < 0.5;
    case 3:
      return [0, -0, 1.5, -7, 1e21, Number.NaN, Number.POSITIVE_INFINITY][Math.floor(next() * 7)];
    case 4:
      return ['', 'x', 'quote"d', 'new\nline', '\u2028', 'ü'][Math.floor(next() * 6)];
    case 5:
      return new Date(Math.floor(next() * 1e12));
    case 6:
      return () => undefined;
    case 7:
    case 8: {
      const object: Record<string, unknown> = {};
      const size = Math.floor(next() * 6);
      for (let i = 0; i < size; i++) object[KEYS[Math.floor(next() * KEYS.length)]!] = generate(next, depth + 1);
      return object;
    }
    default: {
      const array = Array.from({ length: Math.floor(next() * 5) }, () => generate(next, depth + 1));
      if (array.length > 2 && next() < 0.2) delete array[1]; // a hole
      return array;
    }
  }
}

class Line {
  constructor(
    readonly sku: string,
    readonly quantity: number,
  ) {}
}

describe('payloadFingerprint', () => {
  it('is the reference fingerprint for 5,000 generated payloads', () => {
    for (let seed = 1; seed <= 5_000; seed++) {
      const payload = generate(seededRandom(seed), 0);
      expect({ seed, fingerprint: payloadFingerprint(payload) }).toEqual({ seed, fingerprint: reference(payload) });
    }
  });

  it('does not depend on key order and leaves out undefined values', () => {
    const first = { orderId: 'o-1', lines: [new Line('MUG', 2)], note: undefined, currency: 'EUR' };
    const second = { currency: 'EUR', lines: [{ quantity: 2, sku: 'MUG' }], orderId: 'o-1' };
    expect(payloadFingerprint(first)).toBe(payloadFingerprint(second));
    expect(payloadFingerprint(first)).toBe(reference(first));
    expect(payloadFingerprint({ ...second, currency: 'USD' })).not.toBe(payloadFingerprint(second));
  });

  it('keeps the fingerprint of a known payload', () => {
    // Pinned: a change here would make every stored keyed job conflict with its own retry.
    expect(payloadFingerprint({ b: [1, { d: null, c: 'x' }], a: true })).toBe(
      createHash('sha256').update('{"a":true,"b":[1,{"c":"x","d":null}]}').digest('hex'),
    );
  });
});
