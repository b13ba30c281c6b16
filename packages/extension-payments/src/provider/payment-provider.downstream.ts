import { defineDownstream } from '@coordinator/core';

/**
 * The payment provider (Stripe, or anything that speaks its API), as every payments task
 * that calls it declares it.
 *
 * - Breaker: open after 10 failed calls in a row, try again after 30 s. The provider is
 *   shared with every other merchant and answers a steady trickle of transient errors
 *   (rate limits, the odd 5xx) that the tasks' retries absorb; only a long unbroken run
 *   means it is down, and its incidents last minutes, so probing it more often than every
 *   30 s would only spend our rate limit on a service that is still failing.
 * - Bulkhead: 20 calls at once per worker host (20 more wait). A provider call takes a
 *   few hundred milliseconds, so 20 in flight per host stays well within the provider's
 *   request rate limit for a handful of worker hosts.
 *
 * @example
 * ```ts
 * await ctx.call(paymentProvider, (signal) => stripe.refunds.create(params, options));
 * ```
 */
export const paymentProvider = defineDownstream({
  name: 'payment-provider',
  breaker: { consecutiveFailures: 10, halfOpenAfterMs: 30_000 },
  bulkhead: { maxConcurrent: 20, maxQueued: 20 },
});
