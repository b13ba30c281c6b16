import { PermanentError, RetryableError } from '@coordinator/core';
import type Stripe from 'stripe';

/**
 * The provider declined the payment (a card error). A business outcome, not a fault:
 * the provider also reports it by webhook, which emits `payment.failed`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PaymentDeclinedError) return { status: 'declined' }; }
 * ```
 */
export class PaymentDeclinedError extends PermanentError {}

/**
 * What a failed provider call means for the task: network trouble, rate limits and the
 * provider's own errors retry; a request the provider refuses as invalid (or a reused
 * idempotency key) does not.
 */
export function providerFailure(operation: string, error: unknown, sdk: typeof Stripe): Error {
  const message = `payment provider: ${operation} failed: ${(error as Error).message}`;
  if (error instanceof sdk.errors.StripeCardError) return new PaymentDeclinedError(message, { cause: error });
  if (
    error instanceof sdk.errors.StripeInvalidRequestError ||
    error instanceof sdk.errors.StripeIdempotencyError ||
    error instanceof sdk.errors.StripeAuthenticationError ||
    error instanceof sdk.errors.StripePermissionError
  ) {
    return new PermanentError(message, { cause: error });
  }
  return new RetryableError(message, { cause: error });
}
