import type { RetryPolicy } from '@coordinator/core';

/**
 * Retry policy of the tasks that call the payment provider: quick first retries, then a
 * steady pace of at most 20 s between attempts for a few minutes.
 */
export const PAYMENT_RETRY: RetryPolicy = {
  attempts: 12,
  backoff: 'exponential',
  delayMs: 1_000,
  jitter: true,
  maxDelayMs: 20_000,
};
