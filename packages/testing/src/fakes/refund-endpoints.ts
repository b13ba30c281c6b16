import { okReply, outcomeOf, type StripeEndpoint } from './stripe-endpoint.js';
import { invalidParam } from './stripe-errors.js';
import { expandRefund, type ExpandLookup } from './stripe-expand.js';
import type { FakeRefund } from './stripe-objects.js';
import type { StripePaymentState } from './stripe-payment-state.js';

/**
 * The Refund endpoints (create, retrieve) and `GET /v1/charges/:id`, which refund
 * webhooks point at.
 *
 * @example
 * ```ts
 * for (const endpoint of refundEndpoints(state, lookup)) this.route(endpoint.method, endpoint.path, handlerFor(endpoint));
 * ```
 */
export function refundEndpoints(state: StripePaymentState, lookup: ExpandLookup): StripeEndpoint[] {
  const render = (expand: readonly string[]) => (refund: FakeRefund) => expandRefund(refund, expand, lookup);
  return [
    {
      method: 'POST',
      path: '/v1/refunds',
      params: ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand'],
      run: (params) => {
        const amount = params.integer('amount');
        if (amount !== undefined && amount < 1)
          throw invalidParam('amount', 'parameter_invalid_integer', 'Invalid positive integer');
        const result = state.createRefund({
          paymentIntent: params.string('payment_intent'),
          charge: params.string('charge'),
          amount,
          reason: params.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
          metadata: params.metadata(),
        });
        return outcomeOf(result, render(params.stringList('expand') ?? []));
      },
    },
    {
      method: 'GET',
      path: '/v1/refunds/:id',
      params: ['expand'],
      run: (params, id) => ({ reply: okReply(render(params.stringList('expand') ?? [])(state.refund(id))) }),
    },
    {
      method: 'GET',
      path: '/v1/charges/:id',
      params: [],
      run: (_params, id) => ({ reply: okReply(state.charge(id)) }),
    },
  ];
}
