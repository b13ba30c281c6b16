import type { FormRecord } from './form-body.js';
import { parseMetadataQuery } from './metadata-search.js';
import { okReply, outcomeOf, type StripeEndpoint } from './stripe-endpoint.js';
import { invalidParam, missingParam } from './stripe-errors.js';
import { expandIntent, type ExpandLookup } from './stripe-expand.js';
import type { FakePaymentIntent } from './stripe-objects.js';
import { readBoolean } from './stripe-params.js';
import type { StripePaymentState } from './stripe-payment-state.js';

/**
 * The PaymentIntent endpoints: create, search, retrieve, confirm, capture and cancel.
 * Search comes before retrieve because the first matching route wins and `search` is
 * not an id.
 *
 * @example
 * ```ts
 * for (const endpoint of paymentIntentEndpoints(state, lookup)) this.route(endpoint.method, endpoint.path, handlerFor(endpoint));
 * ```
 */
export function paymentIntentEndpoints(state: StripePaymentState, lookup: ExpandLookup): StripeEndpoint[] {
  const render = (expand: readonly string[]) => (intent: FakePaymentIntent) => expandIntent(intent, expand, lookup);
  return [
    {
      method: 'POST',
      path: '/v1/payment_intents',
      params: [
        'amount',
        'currency',
        'capture_method',
        'confirm',
        'payment_method',
        'payment_method_types',
        'automatic_payment_methods',
        'metadata',
        'description',
        'receipt_email',
        'return_url',
        'expand',
      ],
      run: (params) => {
        const amount = params.requiredInteger('amount');
        const currency = readCurrency(params.requiredString('currency'));
        const automatic = params.hash('automatic_payment_methods', ['enabled', 'allow_redirects']);
        const paymentMethodTypes = params.stringList('payment_method_types');
        if (automatic && paymentMethodTypes) {
          throw invalidParam(
            'automatic_payment_methods',
            'parameters_exclusive',
            'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
          );
        }
        const expand = params.stringList('expand') ?? [];
        const result = state.createIntent({
          amount,
          currency,
          // Stripe's default since API version 2024-04-10.
          captureMethod:
            params.oneOf('capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async',
          confirm: params.boolean('confirm') ?? false,
          paymentMethod: params.string('payment_method'),
          paymentMethodTypes,
          automaticPaymentMethods: automatic && readAutomaticPaymentMethods(automatic),
          metadata: params.metadata(),
          description: params.string('description'),
          receiptEmail: params.string('receipt_email'),
          returnUrl: params.string('return_url'),
        });
        return outcomeOf(result, render(expand));
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_intents/search',
      params: ['query', 'limit', 'page', 'expand'],
      run: (params) => {
        const query = params.requiredString('query');
        const clause = parseMetadataQuery(query);
        if (!clause) {
          throw invalidParam(
            'query',
            undefined,
            `The fake payment provider only supports metadata['key']:'value' queries, got: ${query}`,
          );
        }
        const limit = params.integer('limit') ?? 10;
        if (limit < 1 || limit > 100) throw invalidParam('limit', undefined, 'This value must be between 1 and 100.');
        const page = params.string('page');
        // The page token is opaque to clients; here it is just the offset.
        const offset = page === undefined ? 0 : Number(Buffer.from(page, 'base64url').toString('utf8'));
        if (!Number.isInteger(offset) || offset < 0) throw invalidParam('page', undefined, `Invalid page: ${page}`);
        const expand = params.stringList('expand') ?? [];
        const found = state.searchByMetadata(clause.key, clause.value);
        const hasMore = offset + limit < found.length;
        return {
          reply: okReply({
            object: 'search_result',
            data: found.slice(offset, offset + limit).map((intent) => expandIntent(intent, expand, lookup, 'data.')),
            has_more: hasMore,
            next_page: hasMore ? Buffer.from(String(offset + limit), 'utf8').toString('base64url') : null,
            url: '/v1/payment_intents/search',
          }),
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_intents/:id',
      params: ['expand'],
      run: (params, id) => ({ reply: okReply(render(params.stringList('expand') ?? [])(state.intent(id))) }),
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/:id/confirm',
      params: ['payment_method', 'return_url', 'expand'],
      run: (params, id) => {
        const input = { paymentMethod: params.string('payment_method'), returnUrl: params.string('return_url') };
        return outcomeOf(state.confirmIntent(id, input), render(params.stringList('expand') ?? []));
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/:id/capture',
      params: ['amount_to_capture', 'expand'],
      run: (params, id) =>
        outcomeOf(
          state.captureIntent(id, params.integer('amount_to_capture')),
          render(params.stringList('expand') ?? []),
        ),
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/:id/cancel',
      params: ['cancellation_reason', 'expand'],
      run: (params, id) => {
        const reason = params.oneOf('cancellation_reason', [
          'duplicate',
          'fraudulent',
          'requested_by_customer',
          'abandoned',
        ] as const);
        return outcomeOf(state.cancelIntent(id, reason), render(params.stringList('expand') ?? []));
      },
    },
  ];
}

function readCurrency(value: string): string {
  // Stripe accepts any case and answers in lower case.
  if (!/^[a-z]{3}$/i.test(value)) throw invalidParam('currency', undefined, `Invalid currency: ${value}`);
  return value.toLowerCase();
}

function readAutomaticPaymentMethods(hash: FormRecord): { enabled: boolean; allow_redirects?: 'always' | 'never' } {
  const enabled = readBoolean('automatic_payment_methods[enabled]', hash['enabled']);
  if (enabled === undefined) throw missingParam('automatic_payment_methods[enabled]');
  const redirects = hash['allow_redirects'];
  if (redirects === undefined) return { enabled };
  if (redirects !== 'always' && redirects !== 'never') {
    throw invalidParam(
      'automatic_payment_methods[allow_redirects]',
      undefined,
      'Invalid automatic_payment_methods[allow_redirects]: must be one of always, never',
    );
  }
  return { enabled, allow_redirects: redirects };
}
