import { PayloadValidationError, validatePayload } from '@coordinator/core';
import { describe, expect, it } from '@jest/globals';
import { CreateOrderBody } from './create-order.body.js';

const order = { customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 900 }] };

async function problems(body: unknown): Promise<readonly string[]> {
  try {
    await validatePayload(CreateOrderBody, body, 'body');
    return [];
  } catch (error) {
    if (error instanceof PayloadValidationError) return error.fields;
    throw error;
  }
}

describe('CreateOrderBody', () => {
  it('accepts an order', async () => {
    expect(await problems(order)).toEqual([]);
  });

  // Found by route fuzzing: @ValidateNested alone finds nothing wrong inside an empty array.
  it.each([[[[]]], [[[[[]]]]], [[{ sku: 'MUG', quantity: 1, unitPrice: 900 }, []]]])(
    'refuses lines that are arrays: %j',
    async (lines) => {
      expect(await problems({ ...order, lines })).toContain('lines: each value in lines must be an object');
    },
  );
});
