import { describe, expect, it } from '@jest/globals';
import { FormBodyError, parseFormBody } from './form-body.js';

describe('parseFormBody', () => {
  it('reads plain keys, nested hashes, indexed lists and appended lists', () => {
    expect(
      parseFormBody(
        'amount=500&currency=eur&metadata[orderId]=A-1&metadata[note]=a%20b&payment_method_types[0]=card' +
          '&expand[]=latest_charge&expand[]=customer&items[0][price]=p1&items[1][price]=p2&items[1][quantity]=2',
      ),
    ).toEqual({
      amount: '500',
      currency: 'eur',
      metadata: { orderId: 'A-1', note: 'a b' },
      payment_method_types: ['card'],
      expand: ['latest_charge', 'customer'],
      items: [{ price: 'p1' }, { price: 'p2', quantity: '2' }],
    });
  });

  it('accepts percent-encoded brackets and a URLSearchParams query', () => {
    expect(parseFormBody('metadata%5BorderId%5D=A-1')).toEqual({ metadata: { orderId: 'A-1' } });
    expect(parseFormBody(new URLSearchParams('expand[0]=latest_charge'))).toEqual({ expand: ['latest_charge'] });
  });

  it('orders indexed lists by index and keeps sparse indexes as a hash', () => {
    expect(parseFormBody('a[1]=y&a[0]=x')).toEqual({ a: ['x', 'y'] });
    expect(parseFormBody('metadata[0]=x&metadata[5]=y')).toEqual({ metadata: { 0: 'x', 5: 'y' } });
  });

  it('keeps the last value of a repeated key and empty values as empty strings', () => {
    expect(parseFormBody('a=1&a=2&b=')).toEqual({ a: '2', b: '' });
    expect(parseFormBody('')).toEqual({});
  });

  it('keeps __proto__ as data', () => {
    const parsed = parseFormBody('metadata[__proto__]=x&__proto__[polluted]=1');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(parsed['metadata'])).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['a=1&a[b]=2', 'a[b]'],
    ['a[b]=2&a=1', 'a'],
    ['a[]=1&a[b]=2', 'a[b]'],
    ['a[b=1', 'a[b'],
    ['[a]=1', '[a]'],
    ['a[][b]=1', 'a[][b]'],
  ])('refuses %s, naming %s', (body, param) => {
    expect(() => parseFormBody(body)).toThrow(FormBodyError);
    try {
      parseFormBody(body);
    } catch (err) {
      expect((err as FormBodyError).param).toBe(param);
    }
  });
});
