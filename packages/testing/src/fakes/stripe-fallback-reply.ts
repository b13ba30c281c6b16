import type { FallbackReason } from './fake-http-server.js';
import type { FakeReply } from './route-table.js';
import { stripeErrorReply } from './stripe-errors.js';

/**
 * Reshapes a reply the base server made itself into a Stripe error, so the `stripe`
 * package raises its own classes for them too: injected faults and handler crashes
 * become `api_error` (`StripeAPIError`), unknown routes a 404 `invalid_request_error`,
 * unreadable bodies a 400 (or 413) `invalid_request_error` naming the `param` when known.
 *
 * @example
 * ```ts
 * stripeFallbackReply('fault', { status: 503, body: { error: 'injected_fault', status: 503 } });
 * // { status: 503, body: { error: { type: 'api_error', message: '…' } } }
 * ```
 */
export function stripeFallbackReply(reason: FallbackReason, reply: FakeReply): FakeReply {
  const detail: Record<string, unknown> =
    typeof reply.body === 'object' && reply.body !== null ? (reply.body as Record<string, unknown>) : {};
  const message = typeof detail['message'] === 'string' ? detail['message'] : undefined;
  switch (reason) {
    case 'fault':
    case 'handler_error':
      return stripeErrorReply(reply.status, {
        type: 'api_error',
        message: message ?? 'An unknown error occurred while processing your request.',
      });
    case 'not_found':
    case 'method_not_allowed':
      // Stripe answers 404 for both: a method it does not serve on a path is an unknown URL.
      return stripeErrorReply(404, { type: 'invalid_request_error', message: 'Unrecognized request URL.' });
    case 'bad_body':
      return stripeErrorReply(reply.status, {
        type: 'invalid_request_error',
        ...(typeof detail['param'] === 'string' ? { param: detail['param'] } : {}),
        message:
          message ??
          (reply.status === 413
            ? 'The request body is too large.'
            : 'Invalid request: Stripe expects application/x-www-form-urlencoded bodies.'),
      });
  }
}
