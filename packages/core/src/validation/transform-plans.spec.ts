/*
 * plannedPlainToInstance must build exactly what class-transformer's plainToInstance builds:
 * the same classes at every level, the same own properties in the same order, the same values.
 * Compared on generated values against DTO classes with every kind of metadata, the planned
 * ones (only @Type) and those left to class-transformer.
 */
import { describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { seededRandom } from '../runtime/fixtures/seeded-random.js';
import { plannedPlainToInstance } from './transform-plans.js';

class Line {
  sku!: string;
  quantity = 1; // a default the plain value may or may not replace
}

class Address {
  street!: string;
  @Type(() => Date)
  since?: Date;
}

class Order {
  id!: string;
  @Type(() => Line)
  lines!: Line[];
  @Type(() => Address)
  address?: Address;
  @Type(() => Number)
  total?: number;
  @Type(() => String)
  tags?: string[];
  @Type(() => Boolean)
  gift?: boolean;
  @Type(() => Buffer)
  blob?: Buffer;
  /** A getter without a setter: class-transformer leaves the property as the class makes it. */
  get summary(): string {
    return `order ${this.id}`;
  }
  /** With a setter: assigned through it. */
  private noteText = '';
  get note(): string {
    return this.noteText;
  }
  set note(value: string) {
    this.noteText = `note: ${String(value)}`;
  }
  describe(): string {
    return this.id;
  }
}

/** Inherits Order's types and replaces one. */
class RushOrder extends Order {
  @Type(() => Address)
  override lines!: Line[];
  @Type(() => Line)
  extra?: Line;
}

/** Decided by a type function that reads the object. */
class Shipment {
  kind!: string;
  @Type((options) => ((options?.object as Shipment | undefined)?.kind === 'address' ? Address : Line))
  item?: unknown;
}

/** Left to class-transformer: a custom transform. */
class Priced {
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  currency!: string;
  @Type(() => Line)
  line?: Line;
}

/** Left to class-transformer: exposed and excluded names. */
class Renamed {
  @Expose({ name: 'customer_id' })
  customerId!: string;
  @Exclude()
  secret?: string;
}

/** Left to class-transformer: only an exposed name. */
class Exposed {
  @Expose({ name: 'customer_id' })
  customerId!: string;
}

/** A property whose declared type is a Set: class-transformer builds one from an array. */
class Labelled {
  @Type(() => String)
  labels?: Set<string>;
  @Type(() => Line)
  line?: Line;
}

/** Nested inside a planned class, a class left to class-transformer sends the whole call there. */
class Wrapper {
  @Type(() => Priced)
  priced?: Priced;
  @Type(() => Line)
  line?: Line;
}

class Tree {
  value?: number;
  @Type(() => Tree)
  children?: Tree[];
}

class Plain {}

const CLASSES = [Order, RushOrder, Shipment, Priced, Renamed, Exposed, Labelled, Wrapper, Tree, Plain, Line, Address];

const KEYS = [
  'id',
  'sku',
  'quantity',
  'lines',
  'address',
  'street',
  'since',
  'total',
  'tags',
  'gift',
  'blob',
  'summary',
  'note',
  'describe',
  'extra',
  'kind',
  'item',
  'currency',
  'line',
  'customer_id',
  'customerId',
  'secret',
  'priced',
  'value',
  'children',
  'labels',
  'toString',
  'constructor',
  '__proto__',
  'unknown',
];

function generate(next: () => number, depth: number): unknown {
  const leaf = depth > 3;
  switch (Math.floor(next() * (leaf ? 9 : 17))) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return next() < 0.5;
    case 3:
      return [0, 7, -1.5, Number.NaN][Math.floor(next() * 4)];
    case 4:
      return ['', 'x', '12', 'true', '2026-11-29', 'address'][Math.floor(next() * 6)];
    case 5:
      return new Date(Math.floor(next() * 1e12));
    case 6:
      return Buffer.from('ab');
    case 7:
      return () => 'a function';
    case 8:
      return 10n;
    case 9:
      return new Map([['k', 1]]);
    case 10:
      return new Set([1, 2]);
    case 11:
      return Object.assign(Object.create(null) as object, { sku: 'bare' });
    case 12: {
      // A class instance in the value (a body already transformed, spread into a payload).
      const line = new Line();
      line.sku = 'L';
      return line;
    }
    case 13:
      // An array's prototype under a plain object: class-transformer builds a plain object.
      return Object.setPrototypeOf({ 0: 'x', sku: 'S' }, Array.prototype) as object;
    case 14: {
      const array = Array.from({ length: Math.floor(next() * 4) }, () => generate(next, depth + 1));
      if (array.length > 2 && next() < 0.3) delete array[1]; // a hole
      return array;
    }
    default: {
      const object: Record<string, unknown> = {};
      const size = Math.floor(next() * 6);
      for (let i = 0; i < size; i++) {
        // defineProperty: a key named `__proto__` must be an own property, as JSON.parse makes it.
        Object.defineProperty(object, KEYS[Math.floor(next() * KEYS.length)]!, {
          value: generate(next, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

/** Every object in a value, to tell a copy from the input object itself. */
function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (value === null || typeof value !== 'object' || found.has(value)) return found;
  found.add(value);
  if (value instanceof Map || value instanceof Set) for (const item of value.values()) objectsIn(item, found);
  else for (const key of Reflect.ownKeys(value)) objectsIn((value as Record<string | symbol, unknown>)[key], found);
  return found;
}

/**
 * Everything an equality check must see: classes, own property order, dates, bytes, entries,
 * and which objects are the input's own rather than copies.
 */
function shape(value: unknown, input = new Set<object>(), seen = new Set<unknown>()): unknown {
  if (typeof value === 'function') return { function: value.name };
  if (typeof value === 'bigint') return { bigint: String(value) };
  if (typeof value === 'number' && Number.isNaN(value)) return { number: 'NaN' };
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return { cycle: true };
  seen.add(value);
  if (input.has(value)) return { inputObject: shape(value, new Set(), seen) };
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const className = prototype === null ? 'null' : (prototype.constructor?.name ?? '?');
  if (value instanceof Date) return { className, time: String(value.getTime()) };
  if (Buffer.isBuffer(value)) return { className, bytes: value.toString('hex') };
  if (value instanceof Map) return { className, entries: [...value].map((e) => shape(e, input, seen)) };
  if (value instanceof Set) return { className, entries: [...value].map((e) => shape(e, input, seen)) };
  return {
    className,
    isArray: Array.isArray(value),
    own: Reflect.ownKeys(value).map((key) => [
      String(key),
      shape((value as Record<string | symbol, unknown>)[key], input, seen),
    ]),
  };
}

/** The outcome of a transform of `value`, a thrown error included. */
function outcome(value: unknown, transform: (value: unknown) => unknown): unknown {
  try {
    return { result: shape(transform(value), objectsIn(value)) };
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('plannedPlainToInstance', () => {
  it('builds what plainToInstance builds, for 6,000 generated values and classes', () => {
    for (let seed = 1; seed <= 6_000; seed++) {
      const next = seededRandom(seed);
      const cls = CLASSES[Math.floor(next() * CLASSES.length)]!;
      const value = generate(next, 0);
      expect({ seed, cls: cls.name, ...(outcome(value, (v) => plannedPlainToInstance(cls, v)) as object) }).toEqual({
        seed,
        cls: cls.name,
        ...(outcome(value, (v) => plainToInstance(cls, v)) as object),
      });
    }
  });

  it('rebuilds a typical order: classes at every level, defaults kept, conversions applied', () => {
    const plain = {
      id: 'o-1',
      lines: [{ sku: 'MUG' }, { sku: 'TEE', quantity: 3 }],
      address: { street: 'Main 1', since: '2020-01-02T00:00:00.000Z' },
      total: '12.5',
      tags: [1, true],
      summary: 'ignored',
      note: 'hi',
    };
    const order = plannedPlainToInstance(Order, plain);
    expect(order).toBeInstanceOf(Order);
    expect(order.lines.map((line) => [line instanceof Line, line.sku, line.quantity])).toEqual([
      [true, 'MUG', 1],
      [true, 'TEE', 3],
    ]);
    expect(order.address).toBeInstanceOf(Address);
    expect(order.address?.since).toEqual(new Date('2020-01-02T00:00:00.000Z'));
    expect(order.total).toBe(12.5);
    expect(order.tags).toEqual(['1', 'true']);
    expect(order.summary).toBe('order o-1');
    expect(order.note).toBe('note: hi');
    expect(shape(order)).toEqual(shape(plainToInstance(Order, plain)));
  });

  it('leaves classes with more than @Type to class-transformer, whole', () => {
    const plain = { priced: { currency: 'eur', line: { sku: 'A' } }, line: { sku: 'B' } };
    const built = plannedPlainToInstance(Wrapper, plain);
    expect(built.priced?.currency).toBe('EUR');
    expect(built.priced?.line).toBeInstanceOf(Line);
    expect(plannedPlainToInstance(Renamed, { customer_id: 'c-1', secret: 's' })).toEqual(
      plainToInstance(Renamed, { customer_id: 'c-1', secret: 's' }),
    );
  });

  it('passes options to class-transformer', () => {
    const plain = { id: 'o-2', lines: [], total: '3' };
    expect(shape(plannedPlainToInstance(Order, plain, { enableImplicitConversion: true }))).toEqual(
      shape(plainToInstance(Order, plain, { enableImplicitConversion: true })),
    );
    expect(shape(plannedPlainToInstance(Order, plain, { excludeExtraneousValues: true }))).toEqual(
      shape(plainToInstance(Order, plain, { excludeExtraneousValues: true })),
    );
  });

  it('sees a @Type added after the class was first transformed', () => {
    class Late {
      line?: Line;
    }
    expect(plannedPlainToInstance(Late, { line: { sku: 'A' } }).line).not.toBeInstanceOf(Line);
    Type(() => Line)(Late.prototype, 'line');
    expect(plannedPlainToInstance(Late, { line: { sku: 'A' } }).line).toBeInstanceOf(Line);
  });

  it('transforms an array of plain values into instances', () => {
    const lines = plannedPlainToInstance(Line, [{ sku: 'A' }, { sku: 'B', quantity: 2 }]);
    expect(lines.map((line) => line instanceof Line)).toEqual([true, true]);
    expect(shape(lines)).toEqual(shape(plainToInstance(Line, [{ sku: 'A' }, { sku: 'B', quantity: 2 }])));
  });
});
