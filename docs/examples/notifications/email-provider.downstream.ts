import { defineDownstream } from '@coordinator/core';

// The email provider as tasks call it: a circuit breaker (open after 5 failed calls in a
// row, one trial call 15 s later) and a bulkhead (5 calls at once per worker host, the
// rest wait for a slot). Tasks list it in `downstreams` and call it with `ctx.call`.
export const emailProvider = defineDownstream({
  name: 'email-provider',
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 15_000 },
  bulkhead: { maxConcurrent: 5 },
});
