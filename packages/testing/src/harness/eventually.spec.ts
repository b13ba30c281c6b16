import { describe, expect, it } from '@jest/globals';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('returns the first value that meets the condition', async () => {
    let reads = 0;
    const value = await eventually(
      () => ++reads,
      (n) => n === 3,
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
    expect(reads).toBe(3);
  });

  it('fails naming what it awaited and the last value it saw', async () => {
    await expect(
      eventually(
        async () => ({ state: 'closed' }),
        (v) => v.state === 'open',
        {
          what: 'the breaker open',
          timeoutMs: 30,
          intervalMs: 5,
        },
      ),
    ).rejects.toThrow('the breaker open not reached within 30 ms; last value: {"state":"closed"}');
  });
});
