/**
 * A value decoded from bracket notation: a string, a list or a nested record.
 *
 * @example
 * ```ts
 * const value: FormValue = { metadata: { orderId: 'A-1' }, expand: ['latest_charge'] };
 * ```
 */
export type FormValue = string | FormValue[] | FormRecord;

/**
 * A record decoded from bracket notation, e.g. the parameters of a Stripe request.
 *
 * @example
 * ```ts
 * const params: FormRecord = parseFormBody('amount=500&metadata[orderId]=A-1');
 * ```
 */
export interface FormRecord {
  [key: string]: FormValue;
}

/**
 * Thrown for a body that names one parameter both as a value and as a container
 * (`a=1&a[b]=2`), or that has a malformed bracket key (`a[b`). `param` is the key as sent.
 *
 * @example
 * ```ts
 * try { parseFormBody('a=1&a[b]=2'); }
 * catch (err) { if (err instanceof FormBodyError) console.log(err.param); } // 'a[b]'
 * ```
 */
export class FormBodyError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'FormBodyError';
  }
}

/** Containers keep their kind while parsing: `[]` appends, anything else names a key. */
type Node = string | ListNode | RecordNode;
interface ListNode {
  kind: 'list';
  items: Node[];
}
interface RecordNode {
  kind: 'record';
  fields: Map<string, Node>;
}

/**
 * Parses an `application/x-www-form-urlencoded` body (or query string) with the bracket
 * notation Stripe's clients send: `metadata[orderId]=A-1` → `{ metadata: { orderId: 'A-1' } }`,
 * `expand[]=a&expand[]=b` → `{ expand: ['a', 'b'] }`, `items[0][price]=p` →
 * `{ items: [{ price: 'p' }] }`. Values stay strings: the wire format has no types, so
 * each endpoint decides what `'true'` or `'500'` means.
 *
 * A record whose keys are exactly `0..n-1` becomes a list, because clients encode lists
 * with indexes (`payment_method_types[0]=card`) and the body alone cannot tell them from
 * records; callers that expect a record with numeric keys convert back. A repeated plain
 * key keeps its last value, as Rack does.
 *
 * @throws {@link FormBodyError} on a malformed or conflicting key.
 * @example
 * ```ts
 * parseFormBody('amount=500&payment_method_types[0]=card&metadata[orderId]=A-1');
 * // { amount: '500', payment_method_types: ['card'], metadata: { orderId: 'A-1' } }
 * ```
 */
export function parseFormBody(input: string | URLSearchParams): FormRecord {
  const pairs = typeof input === 'string' ? new URLSearchParams(input) : input;
  const root: RecordNode = { kind: 'record', fields: new Map() };
  for (const [key, value] of pairs) assign(root, key, splitKey(key), value);
  return toRecord(root);
}

/** `a[b][]` → `['a', 'b', '']`; an empty segment means "append". */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const bracket = /\[([^[\]]*)\]/y;
  let consumed = 0;
  for (let match = bracket.exec(rest); match; match = bracket.exec(rest)) {
    segments.push(match[1] ?? '');
    consumed = bracket.lastIndex;
  }
  if (segments[0] === '' || consumed !== rest.length) throw new FormBodyError(key, `Invalid parameter name: ${key}`);
  return segments;
}

function assign(container: RecordNode | ListNode, key: string, segments: string[], value: string): void {
  const [segment = '', ...rest] = segments;
  if (container.kind === 'list') {
    if (segment !== '') throw conflict(key);
    // Only a trailing `[]` is unambiguous; `a[][b]` would need Rack's guessing rules.
    if (rest.length > 0) throw new FormBodyError(key, `Invalid parameter name: ${key}`);
    container.items.push(value);
    return;
  }
  if (rest.length === 0) {
    const existing = container.fields.get(segment);
    if (existing !== undefined && typeof existing !== 'string') throw conflict(key);
    container.fields.set(segment, value);
    return;
  }
  const wantsList = rest[0] === '';
  let child = container.fields.get(segment);
  if (child === undefined) {
    child = wantsList ? { kind: 'list', items: [] } : { kind: 'record', fields: new Map() };
    container.fields.set(segment, child);
  }
  if (typeof child === 'string' || (child.kind === 'list') !== wantsList) throw conflict(key);
  assign(child, key, rest, value);
}

function conflict(key: string): FormBodyError {
  return new FormBodyError(key, `Invalid parameter ${key}: it mixes a value, a list and a hash under one name`);
}

function toValue(node: Node): FormValue {
  if (typeof node === 'string') return node;
  if (node.kind === 'list') return node.items.map(toValue);
  const keys = [...node.fields.keys()];
  const indexed = keys.length > 0 && keys.every((key) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < keys.length);
  if (indexed) return keys.map((_, i) => toValue(node.fields.get(String(i)) ?? ''));
  return toRecord(node);
}

function toRecord(node: RecordNode): FormRecord {
  const record: FormRecord = {};
  for (const [key, child] of node.fields) {
    // defineProperty, not assignment: a parameter named `__proto__` must stay data.
    Object.defineProperty(record, key, { value: toValue(child), enumerable: true, writable: true, configurable: true });
  }
  return record;
}
