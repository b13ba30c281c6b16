/*
 * The effect level of the checker: what the downstream fakes did, from their stores, not
 * from their call ledgers (a retried call that the service deduplicated is no effect).
 * Per accepted order exactly one OMS order, one payment intent, one capture and one fulfil,
 * and for a cancelled order one refund; more is a duplicate effect, none a lost one, and an
 * effect for an order the API never accepted is unexpected.
 */
import type { FakeOrderManagement, FakePaymentProvider } from '@coordinator/testing';

export type EffectKind = 'omsOrder' | 'intent' | 'capture' | 'fulfil' | 'refund';
const KINDS: readonly EffectKind[] = ['omsOrder', 'intent', 'capture', 'fulfil', 'refund'];

export interface CheckedOrder {
  orderId: string;
  /** Cancelled once fulfilled: a refund is expected too. */
  cancelled?: boolean;
}

export interface EffectCounts {
  orders: number;
  /** Effects found for these orders, per kind. */
  effects: Record<EffectKind, number>;
  /** Orders without an effect they should have, per kind. */
  missing: Record<EffectKind, number>;
  /** Effects beyond the one expected, per kind (an order with 3 intents adds 2). */
  duplicates: Record<EffectKind, number>;
  missingTotal: number;
  duplicateTotal: number;
  /** Effects at the fakes for orders no scenario ever got a 202 for. */
  unexpected: number;
  /** A few examples, for the report when something is off. */
  examples: { missing: string[]; duplicate: string[]; unexpected: string[] };
}

/** Effects per order id, per kind, over everything the fakes hold. */
export function effectsByOrder(
  oms: FakeOrderManagement,
  psp: FakePaymentProvider,
): Map<string, Record<EffectKind, number>> {
  const byOrder = new Map<string, Record<EffectKind, number>>();
  const add = (orderId: string | undefined, kind: EffectKind) => {
    if (!orderId) return;
    let counts = byOrder.get(orderId);
    if (!counts) byOrder.set(orderId, (counts = { omsOrder: 0, intent: 0, capture: 0, fulfil: 0, refund: 0 }));
    counts[kind] += 1;
  };
  for (const order of oms.orders()) add(order.orderId, 'omsOrder');
  for (const change of oms.transitions()) if (change.to === 'fulfilled') add(change.orderId, 'fulfil');
  const orderOfIntent = new Map<string, string>();
  for (const intent of psp.paymentIntents()) {
    const orderId = intent.metadata['orderId'];
    if (orderId) orderOfIntent.set(intent.id, orderId);
    add(orderId, 'intent');
    if (intent.amount_received > 0 && intent.amount_received === intent.amount) add(orderId, 'capture');
  }
  for (const refund of psp.refunds()) {
    const intentId = typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent.id;
    add(orderOfIntent.get(intentId), 'refund');
  }
  return byOrder;
}

/** Counts effects of `orders`; `known` is every order id any scenario got a 202 for. */
export function countEffects(
  byOrder: Map<string, Record<EffectKind, number>>,
  orders: readonly CheckedOrder[],
  known: ReadonlySet<string>,
): EffectCounts {
  const zero = () => ({ omsOrder: 0, intent: 0, capture: 0, fulfil: 0, refund: 0 });
  const result: EffectCounts = {
    orders: orders.length,
    effects: zero(),
    missing: zero(),
    duplicates: zero(),
    missingTotal: 0,
    duplicateTotal: 0,
    unexpected: 0,
    examples: { missing: [], duplicate: [], unexpected: [] },
  };
  const example = (list: string[], text: string) => {
    if (list.length < 5) list.push(text);
  };
  for (const { orderId, cancelled } of orders) {
    const counts = byOrder.get(orderId) ?? zero();
    for (const kind of KINDS) {
      const expected = kind === 'refund' ? (cancelled ? 1 : 0) : 1;
      const found = counts[kind];
      result.effects[kind] += found;
      if (found < expected) {
        result.missing[kind] += expected - found;
        example(result.examples.missing, `${orderId}: ${kind} ${found}/${expected}`);
      }
      if (expected === 0 && found > 0) {
        // A refund of an order nobody cancelled: an effect nobody asked for.
        result.unexpected += found;
        example(result.examples.unexpected, `${orderId}: ${kind} ×${found} without a cancellation`);
      } else if (found > expected) {
        result.duplicates[kind] += found - expected;
        example(result.examples.duplicate, `${orderId}: ${kind} ×${found}`);
      }
    }
  }
  for (const [orderId, counts] of byOrder) {
    if (known.has(orderId)) continue;
    const total = KINDS.reduce((sum, kind) => sum + counts[kind], 0);
    result.unexpected += total;
    example(result.examples.unexpected, `${orderId}: ${JSON.stringify(counts)}`);
  }
  result.missingTotal = KINDS.reduce((sum, kind) => sum + result.missing[kind], 0);
  result.duplicateTotal = KINDS.reduce((sum, kind) => sum + result.duplicates[kind], 0);
  return result;
}
