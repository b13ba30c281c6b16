import { CreateOrderBody, OrderLine } from '@coordinator/extension-orders';
import { describe, expect, it } from '@jest/globals';
import { ValidationPipe, type ArgumentMetadata, type Type as Class, type ValidationPipeOptions } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { PlannedValidationPipe } from './planned-validation.pipe.js';

/** The api host's options, and options that let more through (no whitelist). */
const OPTIONS: ValidationPipeOptions = { whitelist: true, forbidNonWhitelisted: true, transform: true };
const LENIENT: ValidationPipeOptions = { transform: true };
const BODY: ArgumentMetadata = { type: 'body', metatype: CreateOrderBody, data: undefined };

/** A class whose properties are all optional: nearly any object passes its rules. */
class Note {
  @IsOptional()
  @IsString()
  text?: string;
}

class Envelope {
  @IsOptional()
  @ValidateNested()
  @Type(() => Note)
  note?: Note;
}
const ENVELOPE: ArgumentMetadata = { type: 'body', metatype: Envelope, data: undefined };

const line = (overrides: Record<string, unknown> = {}) => ({
  sku: 'TSHIRT-M',
  quantity: 2,
  unitPrice: 1999,
  ...overrides,
});
const order = (overrides: Record<string, unknown> = {}) => ({
  customerId: 'c-42',
  currency: 'EUR',
  lines: [line(), line({ sku: 'MUG-01', quantity: 1 })],
  ...overrides,
});

/** Values as a request's body can hold them, valid and not, each built afresh per call. */
const CASES: [string, () => unknown][] = [
  ['a valid order', () => order()],
  ['a valid order with its optional field', () => order({ paymentMethod: 'pm_card_visa' })],
  ['a valid order parsed from JSON', () => JSON.parse(JSON.stringify(order()))],
  ['a missing field', () => ({ currency: 'EUR', lines: [line()] })],
  ['a field of the wrong type', () => order({ customerId: 42 })],
  ['a property no rule allows', () => order({ discount: 100 })],
  ['an invalid line', () => order({ lines: [line({ quantity: 0 })] })],
  ['a line with a property no rule allows', () => order({ lines: [line({ colour: 'red' })] })],
  ['lines that are not an array', () => order({ lines: line() })],
  ['an array in place of a line', () => order({ lines: [[]] })],
  ['an empty object', () => ({})],
  [
    'an own __proto__ key, as JSON.parse makes one',
    () => JSON.parse('{"__proto__":{"admin":true},"customerId":"c-1"}'),
  ],
  ['a sparse array of lines', () => order({ lines: [line(), , line()] })], // eslint-disable-line no-sparse-arrays
  ['a Buffer in place of a line', () => order({ lines: [Buffer.from('line')] })],
  ['a Buffer in place of the lines', () => order({ lines: Buffer.from('lines') })],
  ['a Buffer as the body', () => Buffer.from('{}')],
  ['an array as the body', () => [order()]],
  ['a string as the body', () => 'order'],
  ['null', () => null],
  ['undefined', () => undefined],
  ['a Map as the body', () => new Map([['customerId', 'c-42']])],
];

/** The same for a class nearly anything passes. */
const ENVELOPE_CASES: [string, () => unknown][] = [
  ['an empty envelope', () => ({})],
  ['a note', () => ({ note: { text: 'hello' } })],
  ['a Buffer in place of the note', () => ({ note: Buffer.from('x') })],
  ['a typed array in place of the note', () => ({ note: new Uint8Array([1, 2]) })],
  ['a typed array as the body', () => new Uint8Array([1, 2])],
  ['an own __proto__ key', () => JSON.parse('{"__proto__":{"polluted":true},"note":{"text":"hi"}}')],
  ['an own __proto__ key in the note', () => JSON.parse('{"note":{"__proto__":{"polluted":true}}}')],
  ['a Map as the body', () => new Map([['note', {}]])],
];

type Outcome = { value: unknown; classes: string[]; polluted: unknown[] } | { status: number; response: unknown };

/**
 * What a pipe answers, with the classes of the result and of the objects in it, and what their
 * prototypes say of `polluted` (toEqual compares neither).
 */
async function outcome(pipe: ValidationPipe, value: unknown, metadata: ArgumentMetadata = BODY): Promise<Outcome> {
  try {
    const result = await pipe.transform(value, metadata);
    const { lines, note } = (result ?? {}) as { lines?: unknown; note?: unknown };
    const objects = [result, note, ...(Array.isArray(lines) ? lines : [])];
    return {
      value: result,
      classes: objects.map((v) => String((v as object | null)?.constructor?.name)),
      polluted: objects.map((v) => (v as { polluted?: unknown } | null)?.polluted),
    };
  } catch (error) {
    const { status, response } = error as { status: number; response: unknown };
    return { status, response };
  }
}

describe('PlannedValidationPipe', () => {
  it.each(CASES)("answers %s as Nest's ValidationPipe does", async (_name, make) => {
    const planned = await outcome(new PlannedValidationPipe(OPTIONS), make());
    const nest = await outcome(new ValidationPipe(OPTIONS), make());
    expect(planned).toEqual(nest);
  });

  it.each([...CASES, ...ENVELOPE_CASES.map(([name, make]) => [`${name} (envelope)`, make] as const)])(
    "answers %s as Nest's ValidationPipe does without a whitelist",
    async (name, make) => {
      const metadata = name.endsWith('(envelope)') ? ENVELOPE : BODY;
      const planned = await outcome(new PlannedValidationPipe(LENIENT), make(), metadata);
      const nest = await outcome(new ValidationPipe(LENIENT), make(), metadata);
      expect(planned).toEqual(nest);
    },
  );

  it('rebuilds a valid body as instances of its classes', async () => {
    const result = await new PlannedValidationPipe(OPTIONS).transform(order(), BODY);
    expect(result).toBeInstanceOf(CreateOrderBody);
    expect((result as CreateOrderBody).lines[0]).toBeInstanceOf(OrderLine);
  });

  it.each(CASES)("answers %s as Nest's ValidationPipe does without transform", async (_name, make) => {
    const options = { ...OPTIONS, transform: false };
    expect(await outcome(new PlannedValidationPipe(options), make())).toEqual(
      await outcome(new ValidationPipe(options), make()),
    );
  });

  it("leaves every value to Nest's pipe and the transformer given in its options", async () => {
    let calls = 0;
    const transformerPackage: NonNullable<ValidationPipeOptions['transformerPackage']> = {
      plainToInstance: <T>(cls: Class<T>, plain: unknown): T => {
        calls += 1;
        return Object.assign(new cls() as object, plain as object, { rebuiltBy: 'the given transformer' }) as T;
      },
      classToPlain: (object: unknown) => object as Record<string, unknown>,
    };
    const result = await new PlannedValidationPipe({ ...LENIENT, transformerPackage }).transform(
      { note: { text: 'hi' } },
      ENVELOPE,
    );
    expect(calls).toBe(1);
    expect(result).toMatchObject({ rebuiltBy: 'the given transformer' });
  });

  it("leaves query values, primitives and Nest's own types to Nest's pipe", async () => {
    const pipe = new PlannedValidationPipe(OPTIONS);
    const nest = new ValidationPipe(OPTIONS);
    const metadatas: ArgumentMetadata[] = [
      { type: 'query', metatype: Number, data: 'limit' },
      { type: 'param', metatype: String, data: 'id' },
      { type: 'body', metatype: Object, data: undefined },
      { type: 'custom', metatype: CreateOrderBody, data: undefined },
    ];
    for (const metadata of metadatas) {
      expect(await outcome(pipe, '7', metadata)).toEqual(await outcome(nest, '7', metadata));
      expect(await outcome(pipe, order(), metadata)).toEqual(await outcome(nest, order(), metadata));
    }
  });
});
