import { describe, expect, it } from '@jest/globals';
import { WaitingCounts } from './waiting-counts.js';

/** A counter whose reads the test answers by hand. */
function manualCounter() {
  const reads: { queue: string; answer: (count: number) => void; fail: (error: Error) => void }[] = [];
  const counter = (queue: string) =>
    new Promise<number>((answer, fail) => {
      reads.push({ queue, answer, fail });
    });
  return { counter, reads };
}

describe('WaitingCounts', () => {
  it('shares one read between concurrent callers and reuses it for maxAgeMs', async () => {
    let now = 0;
    const { counter, reads } = manualCounter();
    const counts = new WaitingCounts(counter, { maxAgeMs: 250, now: () => now });

    const first = [counts.get('orders'), counts.get('orders'), counts.get('orders')];
    expect(reads).toHaveLength(1);
    reads[0]!.answer(7);
    expect(await Promise.all(first)).toEqual([7, 7, 7]);

    now = 249;
    expect(await counts.get('orders')).toBe(7);
    expect(reads).toHaveLength(1);

    now = 250;
    const later = counts.get('orders');
    expect(reads).toHaveLength(2);
    reads[1]!.answer(2);
    expect(await later).toBe(2);
  });

  it('peeks at a count only while it is fresh, without reading', async () => {
    let now = 0;
    const { counter, reads } = manualCounter();
    const counts = new WaitingCounts(counter, { maxAgeMs: 250, now: () => now });

    expect(counts.peek('orders')).toBeUndefined(); // never read
    expect(reads).toHaveLength(0);
    const read = counts.get('orders');
    expect(counts.peek('orders')).toBeUndefined(); // being read
    reads[0]!.answer(7);
    await read;
    counts.added('orders');
    now = 249;
    expect(counts.peek('orders')).toEqual(expect.objectContaining({ count: 8 }));
    now = 250;
    expect(counts.peek('orders')).toBeUndefined(); // the age at which get() reads again
    expect(reads).toHaveLength(1);
  });

  it('keeps queues apart', async () => {
    const counts = new WaitingCounts(async (queue) => (queue === 'orders' ? 1 : 2));
    expect(await counts.get('orders')).toBe(1);
    expect(await counts.get('payments')).toBe(2);
  });

  it('counts what this host added until the next read, including during a read', async () => {
    let now = 0;
    const { counter, reads } = manualCounter();
    const counts = new WaitingCounts(counter, { maxAgeMs: 250, now: () => now });

    const first = counts.get('orders');
    counts.added('orders'); // while the read runs
    reads[0]!.answer(3);
    expect(await first).toBe(4);
    counts.added('orders', 2);
    expect(await counts.get('orders')).toBe(6);

    now = 300;
    const next = counts.get('orders');
    reads[1]!.answer(1);
    expect(await next).toBe(1);
  });

  it('says "unknown" when Redis fails or is too slow, and reads again after maxAgeMs', async () => {
    let now = 0;
    const { counter, reads } = manualCounter();
    const counts = new WaitingCounts(counter, { maxAgeMs: 250, timeoutMs: 20, now: () => now });

    const failed = counts.get('orders');
    reads[0]!.fail(new Error('connection refused'));
    expect(await failed).toBeUndefined();

    now = 300;
    // Never answered: the timeout ends the wait.
    expect(await counts.get('orders')).toBeUndefined();
    expect(reads).toHaveLength(2);

    now = 600;
    const recovered = counts.get('orders');
    reads[2]!.answer(5);
    expect(await recovered).toBe(5);
  });
});
