import { defineDownstream } from '@coordinator/core';

/**
 * The order-management service, as every orders task that calls it declares it.
 *
 * - Breaker: open after 5 failed calls in a row, try again after 10 s. The OMS is our own
 *   service: its outages are mostly deploys and restarts that last tens of seconds, so
 *   orders should flow again within seconds of it coming back, and a trial call every
 *   10 s costs it nothing.
 * - Bulkhead: 10 calls at once per worker host (20 more wait for a slot). That matches
 *   the orders queue's default concurrency, and keeps holding when a deployment raises
 *   that concurrency or moves the handlers to queues of their own: order management then
 *   sees at most 10 calls per worker host, whatever the queues do.
 *
 * @example
 * ```ts
 * await ctx.call(orderManagement, (signal) => fetch(url, { signal }));
 * ```
 */
export const orderManagement = defineDownstream({
  name: 'order-management',
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
  bulkhead: { maxConcurrent: 10, maxQueued: 20 },
});
