import type { RetryPolicy } from '../contract/define-task.js';
import type { ExtensionRegistry } from './extension-registry.js';

/** The BullMQ backoff type of every coordinator job; workers resolve it with {@link retryBackoffStrategy}. */
export const RETRY_BACKOFF_TYPE = 'coordinator';

/**
 * Delay before the next attempt after `attemptsMade` failed ones: exponential (or
 * fixed), capped at `maxDelayMs`, with the jittered share drawn at random.
 *
 * @example
 * ```ts
 * retryDelay({ attempts: 5, backoff: 'exponential', delayMs: 1000, jitter: false, maxDelayMs: 5000 }, 4); // 5000
 * ```
 */
export function retryDelay(
  policy: Readonly<RetryPolicy>,
  attemptsMade: number,
  random: () => number = Math.random,
): number {
  const grown = policy.backoff === 'fixed' ? policy.delayMs : policy.delayMs * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(grown, policy.maxDelayMs);
  const jitter = policy.jitter === true ? 0.5 : policy.jitter === false ? 0 : policy.jitter;
  return Math.floor(capped * (1 - jitter) + random() * capped * jitter);
}

/**
 * BullMQ's built-in exponential backoff has no upper bound, so workers compute delays
 * themselves from the task's own policy, found by the job's name.
 */
export function retryBackoffStrategy(registry: ExtensionRegistry) {
  return (attemptsMade: number, _type?: string, _error?: Error, job?: { name: string }): number => {
    const task = job ? registry.findTask(job.name) : undefined;
    return task ? retryDelay(task.definition.retry, attemptsMade) : 1_000;
  };
}
