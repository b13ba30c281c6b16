import { describe, expect, it } from '@jest/globals';
import { countEffects, type EffectKind } from './effect-ledger.js';

const effects = (counts: Partial<Record<EffectKind, number>>): Record<EffectKind, number> => ({
  omsOrder: 1,
  intent: 1,
  capture: 1,
  fulfil: 1,
  refund: 0,
  ...counts,
});

describe('countEffects', () => {
  it('finds nothing wrong with one effect of each kind per order', () => {
    const byOrder = new Map([['a', effects({})]]);
    const counts = countEffects(byOrder, [{ orderId: 'a' }], new Set(['a']));
    expect(counts).toMatchObject({ missingTotal: 0, duplicateTotal: 0, unexpected: 0 });
    expect(counts.effects).toEqual({ omsOrder: 1, intent: 1, capture: 1, fulfil: 1, refund: 0 });
  });

  it('counts duplicates beyond one, missing effects, and refunds of cancelled orders', () => {
    const byOrder = new Map([
      ['a', effects({ intent: 3 })],
      ['b', effects({ fulfil: 0 })],
      ['c', effects({ refund: 1 })],
      ['d', effects({})],
    ]);
    const counts = countEffects(
      byOrder,
      [{ orderId: 'a' }, { orderId: 'b' }, { orderId: 'c', cancelled: true }, { orderId: 'd', cancelled: true }],
      new Set(['a', 'b', 'c', 'd']),
    );
    expect(counts.duplicates.intent).toBe(2);
    expect(counts.missing).toMatchObject({ fulfil: 1, refund: 1 });
    expect(counts).toMatchObject({ duplicateTotal: 2, missingTotal: 2, unexpected: 0 });
  });

  it('calls effects of orders never accepted, and refunds nobody asked for, unexpected', () => {
    const byOrder = new Map([
      ['a', effects({ refund: 1 })],
      ['ghost', effects({})],
    ]);
    const counts = countEffects(byOrder, [{ orderId: 'a' }], new Set(['a']));
    expect(counts.unexpected).toBe(1 + 4);
    expect(counts.examples.unexpected).toHaveLength(2);
  });
});
