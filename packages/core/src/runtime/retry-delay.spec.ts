import { describe, expect, it } from '@jest/globals';
import { retryDelay } from './retry-delay.js';

const policy = { attempts: 10, backoff: 'exponential' as const, delayMs: 1000, jitter: false, maxDelayMs: 5000 };

describe('retryDelay', () => {
  it('doubles per failed attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelay(policy, n))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('keeps fixed delays fixed', () => {
    expect(retryDelay({ ...policy, backoff: 'fixed' }, 7)).toBe(1000);
  });

  it('spreads the jittered share between its bounds', () => {
    const jittered = { ...policy, jitter: true };
    expect(retryDelay(jittered, 2, () => 0)).toBe(1000);
    expect(retryDelay(jittered, 2, () => 0.999999)).toBe(1999);
    expect(retryDelay({ ...policy, jitter: 0.2 }, 1, () => 0)).toBe(800);
  });
});
