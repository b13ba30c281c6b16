import { describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, Length, ValidateNested } from 'class-validator';
import { PayloadValidationError } from '../contract/errors.js';
import { cacheValidationMetadataLookups } from './metadata-lookup-cache.js';
import { validatePayload } from './validate-payload.js';

class Line {
  @IsString()
  sku!: string;
}

class Order {
  @IsString()
  @Length(1, 8)
  customerId!: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

class PaidOrder extends Order {
  @IsInt()
  amount!: number;
}

class Note {
  @IsString()
  text!: string;
}

const problems = (error: unknown) => (error as PayloadValidationError).fields;

describe('cacheValidationMetadataLookups', () => {
  const storage = getMetadataStorage();

  it('is installed by the validation module and keeps one rule list per class and options', () => {
    const first = storage.getTargetValidationMetadatas(PaidOrder, '', false, false);
    expect(storage.getTargetValidationMetadatas(PaidOrder, '', false, false)).toBe(first);
    cacheValidationMetadataLookups(); // a second install changes nothing
    expect(storage.getTargetValidationMetadatas(PaidOrder, '', false, false)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    // Inherited rules are in the subclass's list, and another option set is looked up on its own.
    expect(new Set(first.map((rule) => rule.propertyName))).toEqual(new Set(['customerId', 'lines', 'amount']));
    expect(storage.getTargetValidationMetadatas(PaidOrder, '', true, false)).not.toBe(first);
  });

  it('validates as before: inherited and nested rules, unknown properties refused', async () => {
    const order = { customerId: 'c-1', lines: [{ sku: 'A-1' }], amount: 5 };
    await expect(validatePayload(PaidOrder, order, 'order')).resolves.toBeInstanceOf(PaidOrder);
    await expect(validatePayload(PaidOrder, order, 'order')).resolves.toMatchObject(order);

    const bad = await validatePayload(
      PaidOrder,
      { customerId: 'too-long-id', lines: [{ sku: 7 }], amount: 1.5, extra: true },
      'order',
    ).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(PayloadValidationError);
    expect(problems(bad)).toEqual(
      expect.arrayContaining([
        'extra: property extra should not exist',
        'customerId must be shorter than or equal to 8 characters',
        'lines.0.sku must be a string',
        'amount must be an integer number',
      ]),
    );
  });

  it('sees a rule added after the class was first validated', async () => {
    await expect(validatePayload(Note, { text: '12' }, 'note')).resolves.toMatchObject({ text: '12' });
    // A decorator applied at run time, after the lookup was cached.
    Length(3, 10)(Note.prototype, 'text');
    const late = await validatePayload(Note, { text: '12' }, 'note').catch((error: unknown) => error);
    expect(problems(late)).toEqual(['text must be longer than or equal to 3 characters']);
  });
});
