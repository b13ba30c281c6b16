/*
 * JSON text the fuzzer controls byte by byte: `JSON.stringify` cannot write a duplicate
 * key, `1e999`, a lone surrogate escape or 20,000 nested brackets without recursing, so
 * bodies are values that may hold {@link RawJson} pieces, written out by {@link toJsonText}.
 */

/** A piece of JSON text written out verbatim (it need not be valid JSON). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * An object with an own enumerable `key`, even `__proto__`, which an object literal or an
 * assignment would turn into a prototype change instead of a property.
 */
export function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(target)) Object.defineProperty(copy, k, ownValue(target[k]));
  Object.defineProperty(copy, key, ownValue(value));
  return copy;
}

function ownValue(value: unknown): PropertyDescriptor {
  return { value, enumerable: true, writable: true, configurable: true };
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels, as text: no recursion on either side. */
export function nested(depth: number, shape: 'array' | 'object'): RawJson {
  return shape === 'array'
    ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** The JSON text of a value that may contain {@link RawJson} pieces and own `__proto__` keys. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : toJsonText(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${toJsonText((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Path to a value inside a body: property names and array indices. */
export type JsonPath = readonly (string | number)[];

/** `lines.0.quantity`, as class-validator names nested properties. */
export function pathName(path: JsonPath): string {
  return path.join('.');
}

/** A copy of `root` with the value at `path` replaced (or removed, for `undefined`). */
export function setAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(root[head as number], rest, value);
    return copy;
  }
  const record = root as Record<string, unknown>;
  const replaced = setAt(record[head as string], rest, value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (key === head && replaced === undefined) continue;
    Object.defineProperty(copy, key, ownValue(key === head ? replaced : record[key]));
  }
  return copy;
}

/** The value at `path`. */
export function getAt(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current;
}
