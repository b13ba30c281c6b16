import { invalidParam } from './stripe-errors.js';
import type { FakeCharge, FakePaymentIntent, FakeRefund } from './stripe-objects.js';

/**
 * Looks objects up by id for expansion; throws when the id is unknown.
 *
 * @example
 * ```ts
 * const lookup: ExpandLookup = { charge: (id) => state.charge(id), intent: (id) => state.intent(id) };
 * ```
 */
export interface ExpandLookup {
  charge(id: string): FakeCharge;
  intent(id: string): FakePaymentIntent;
}

/**
 * Applies `expand[]` to a PaymentIntent: `latest_charge` (or `data.latest_charge` in a
 * search) becomes the charge object. Anything else is refused as Stripe refuses
 * unknown expansions, so code never reads an object where the fake left an id.
 *
 * @param prefix `data.` inside list and search results.
 * @throws {@link StripeRequestFailure} 400 naming `expand`.
 * @example
 * ```ts
 * expandIntent(intent, ['latest_charge'], lookup).latest_charge; // { id: 'ch_…', object: 'charge', … }
 * ```
 */
export function expandIntent(
  intent: FakePaymentIntent,
  expand: readonly string[],
  lookup: ExpandLookup,
  prefix = '',
): FakePaymentIntent {
  checkExpandable(expand, [`${prefix}latest_charge`]);
  if (!expand.includes(`${prefix}latest_charge`) || typeof intent.latest_charge !== 'string') return intent;
  return { ...intent, latest_charge: lookup.charge(intent.latest_charge) };
}

/**
 * Applies `expand[]` to a Refund: `charge` and `payment_intent` become objects.
 *
 * @throws {@link StripeRequestFailure} 400 naming `expand`.
 * @example
 * ```ts
 * expandRefund(refund, ['payment_intent'], lookup).payment_intent; // { id: 'pi_…', … }
 * ```
 */
export function expandRefund(refund: FakeRefund, expand: readonly string[], lookup: ExpandLookup): FakeRefund {
  checkExpandable(expand, ['charge', 'payment_intent']);
  const expanded = { ...refund };
  if (expand.includes('charge') && typeof refund.charge === 'string') expanded.charge = lookup.charge(refund.charge);
  if (expand.includes('payment_intent') && typeof refund.payment_intent === 'string')
    expanded.payment_intent = lookup.intent(refund.payment_intent);
  return expanded;
}

function checkExpandable(expand: readonly string[], allowed: readonly string[]): void {
  const refused = expand.find((path) => !allowed.includes(path));
  if (refused !== undefined) throw invalidParam('expand', undefined, `This property cannot be expanded (${refused}).`);
}
