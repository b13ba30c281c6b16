import { describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatePromise,
  ValidatorConstraint,
  validate,
  type ValidationArguments,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import { acceptsWithoutErrors } from './rule-plans.js';

/** Cross-field: the total must equal the sum of the lines, read through `args.object`. */
@ValidatorConstraint({ name: 'matchesLines' })
class MatchesLines implements ValidatorConstraintInterface {
  validate(total: unknown, args: ValidationArguments): boolean {
    const lines = (args.object as Basket).lines;
    return Array.isArray(lines) && total === lines.reduce((sum, line) => sum + (line?.quantity ?? 0), 0);
  }
}

@ValidatorConstraint({ name: 'slowCheck', async: true })
class SlowCheck implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    return value === 'ok';
  }
}

/** Answers with a promise without saying it is async. */
@ValidatorConstraint({ name: 'secretlyAsync' })
class SecretlyAsync implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return value === 'boom' ? Promise.reject(new Error('lookup failed')) : Promise.resolve(value === 'ok');
  }
}

class Line {
  @IsString()
  @Length(1, 8)
  @Matches(/^[A-Z0-9-]+$/)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

class Address {
  @IsString()
  city!: string;

  @IsOptional()
  @IsString()
  zip?: string;
}

class Basket {
  @IsString()
  @Length(1, 16)
  customerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];

  @Validate(MatchesLines)
  total!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  shipTo?: Address;

  @IsIn(['EUR', 'USD'])
  currency!: string;

  @IsString({ each: true })
  tags!: string[];

  // Checked only for gift baskets.
  @ValidateIf((basket: Basket) => basket.gift === true)
  @IsString()
  @Length(1, 20)
  giftNote?: string;

  @IsOptional()
  @IsIn([true, false])
  gift?: boolean;

  @IsDefined()
  @IsInt({ validateIf: (_basket: Basket, value: unknown) => value !== 'later' })
  slot!: number | string;

  @Allow()
  comment?: unknown;
}

class PriorityBasket extends Basket {
  @IsInt()
  @Min(1)
  priority!: number;
}

class Verified {
  @Validate(SlowCheck)
  code!: string;
}

class Looked {
  @Validate(SecretlyAsync)
  code!: string;
}

class Deferred {
  @ValidatePromise()
  @IsString()
  value!: unknown;
}

class Unruled {
  name = 'nothing to check';
}

const STRICT: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

const validBasket = () => ({
  customerId: 'c-1',
  lines: [
    { sku: 'A-1', quantity: 2 },
    { sku: 'B-2', quantity: 3 },
  ],
  total: 5,
  shipTo: { city: 'Lyon' },
  currency: 'EUR',
  tags: ['fast', 'fragile'],
  slot: 4,
});

/** A small deterministic generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x'.repeat(17),
  'A-1',
  'a b',
  0,
  -1,
  1.5,
  101,
  3,
  true,
  'later',
  [],
  [{}],
  [[]],
  [{ sku: 'C-3', quantity: 1 }],
  [{ sku: 'c', quantity: 1 }],
  [1, 2],
  [null],
  [{ sku: 'C-3', quantity: 1 }, null],
  ['a', null],
  ['a', 7],
  new Set(['a']),
  new Map([['k', 'v']]),
  {},
  { city: 'Oslo', zip: 9 },
  { city: 'Oslo', extra: 1 },
  'EUR',
  'GBP',
];

/** One to three changes to a valid basket: a field set to an odd value, removed, or added. */
function mutate(next: () => number): Record<string, unknown> {
  const basket: Record<string, unknown> = validBasket();
  const fields = [...Object.keys(basket), 'giftNote', 'gift', 'comment', 'unknownField'];
  for (let change = 0; change <= Math.floor(next() * 3); change += 1) {
    const field = fields[Math.floor(next() * fields.length)]!;
    if (next() < 0.15) delete basket[field];
    else basket[field] = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
  }
  return basket;
}

async function verdicts(cls: new () => object, plain: unknown, options = STRICT) {
  const instance = plainToInstance(cls, plain) as object;
  const planned = acceptsWithoutErrors(instance, options);
  const errors = await validate(instance, options);
  return { planned, valid: errors.length === 0, errors };
}

describe('acceptsWithoutErrors', () => {
  it('accepts valid DTOs, nested, inherited and optional parts included', async () => {
    await expect(verdicts(Basket, validBasket())).resolves.toMatchObject({ planned: true, valid: true });
    await expect(verdicts(PriorityBasket, { ...validBasket(), priority: 2 })).resolves.toMatchObject({
      planned: true,
      valid: true,
    });
    const gift = { ...validBasket(), gift: true, giftNote: 'Happy birthday', slot: 'later', comment: { any: 1 } };
    await expect(verdicts(Basket, gift)).resolves.toMatchObject({ planned: true, valid: true });
  });

  it('agrees with validate() on 600 generated baskets, valid and not', async () => {
    const next = random(7);
    const counts = { valid: 0, invalid: 0 };
    for (let index = 0; index < 600; index += 1) {
      const basket = mutate(next);
      const cls = next() < 0.3 ? PriorityBasket : Basket;
      if (cls === PriorityBasket && next() < 0.7) basket.priority = next() < 0.8 ? 3 : 0;
      const { planned, valid } = await verdicts(cls, basket);
      if (planned !== valid)
        throw new Error(`case ${index}: planned ${planned}, validate() ${valid}: ${JSON.stringify(basket)}`);
      counts[valid ? 'valid' : 'invalid'] += 1;
    }
    // Both sides of the verdict were exercised.
    expect(counts.valid).toBeGreaterThan(50);
    expect(counts.invalid).toBeGreaterThan(200);
  });

  it('agrees with validate() under the skip and whitelist options too', async () => {
    const next = random(11);
    const optionSets: ValidatorOptions[] = [
      {},
      { forbidUnknownValues: false },
      { skipMissingProperties: true },
      { skipNullProperties: true, whitelist: true, forbidNonWhitelisted: true },
      { skipUndefinedProperties: true, stopAtFirstError: true },
    ];
    for (let index = 0; index < 300; index += 1) {
      const options = optionSets[index % optionSets.length]!;
      const basket = mutate(next);
      const { planned, valid } = await verdicts(Basket, basket, options);
      if (planned !== valid) {
        throw new Error(`case ${index} ${JSON.stringify(options)}: planned ${planned}, validate() ${valid}`);
      }
    }
  });

  it('leaves stripping to validate(): an unlisted property under whitelist alone is not accepted, and stays', async () => {
    const instance = plainToInstance(Basket, { ...validBasket(), unknownField: 1 });
    expect(acceptsWithoutErrors(instance, { whitelist: true })).toBe(false);
    expect(instance).toHaveProperty('unknownField', 1);
    await expect(validate(instance, { whitelist: true })).resolves.toEqual([]);
    expect(instance).not.toHaveProperty('unknownField');
  });

  it('refuses a class without rules unless forbidUnknownValues is off, as validate() does', async () => {
    expect(acceptsWithoutErrors(new Unruled(), STRICT)).toBe(false);
    expect(acceptsWithoutErrors(new Unruled(), { forbidUnknownValues: false })).toBe(true);
    expect(acceptsWithoutErrors(plainToInstance(Address, { city: 'Oslo', zip: 1 }), STRICT)).toBe(false);
  });

  it('leaves async constraints, promised values and groups to validate()', async () => {
    expect(acceptsWithoutErrors(plainToInstance(Verified, { code: 'ok' }), STRICT)).toBe(false);
    await expect(validate(plainToInstance(Verified, { code: 'ok' }), STRICT)).resolves.toEqual([]);

    const deferred = plainToInstance(Deferred, {});
    deferred.value = Promise.resolve('text');
    expect(acceptsWithoutErrors(deferred, STRICT)).toBe(false);
    expect(acceptsWithoutErrors(plainToInstance(Deferred, { value: 'text' }), STRICT)).toBe(true);

    expect(acceptsWithoutErrors(plainToInstance(Basket, validBasket()), { ...STRICT, groups: ['admin'] })).toBe(false);
  });

  it('does not leave a rejected promise unhandled when a constraint answers with one', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      expect(acceptsWithoutErrors(plainToInstance(Looked, { code: 'boom' }), STRICT)).toBe(false);
      expect(acceptsWithoutErrors(plainToInstance(Looked, { code: 'ok' }), STRICT)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('follows a rule added after the class was first planned', async () => {
    class Note {
      @IsString()
      text!: string;
    }
    expect(acceptsWithoutErrors(plainToInstance(Note, { text: '12' }), STRICT)).toBe(true);
    Length(3, 10)(Note.prototype, 'text');
    expect(acceptsWithoutErrors(plainToInstance(Note, { text: '12' }), STRICT)).toBe(false);
    expect(acceptsWithoutErrors(plainToInstance(Note, { text: '123' }), STRICT)).toBe(true);
  });
});
