import { describe, expect, it } from '@jest/globals';
import { FaultInjector, InvalidFaultPlanError } from './fault-injector.js';

/** Hands out the given numbers in order, so each random draw is known in advance. */
function draws(...values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('unexpected random draw');
    return next;
  };
}

/** One turn of the event loop: enough for anything not waiting on a timer to settle. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FaultInjector', () => {
  it('passes every call under an empty plan without drawing random numbers', async () => {
    const faults = new FaultInjector({ random: draws() });
    expect(await faults.decide()).toBe('pass');
    expect(faults.plan).toEqual({});
    expect(faults.failStatus).toBe(503);
  });

  it('fails exactly the next N calls, then forgets failNext', async () => {
    const faults = new FaultInjector({ random: draws() });
    faults.set({ failNext: 2 });
    expect(await faults.decide()).toBe('fail');
    expect(faults.plan).toEqual({ failNext: 1 });
    expect(await faults.decide()).toBe('fail');
    expect(await faults.decide()).toBe('pass');
    expect(faults.plan).toEqual({});
  });

  it('fails a share of calls according to the injected random numbers', async () => {
    const faults = new FaultInjector({ random: draws(0.1, 0.9, 0.49), plan: { failureRate: 0.5, failStatus: 500 } });
    expect(await faults.decide()).toBe('fail');
    expect(await faults.decide()).toBe('pass');
    expect(await faults.decide()).toBe('fail');
    expect(faults.failStatus).toBe(500);
  });

  it('checks resetRate before failureRate, one draw each', async () => {
    // Call 1: reset draw 0.1 < 0.5 → reset. Call 2: reset draw 0.8, fail draw 0.2 < 0.5 → fail.
    const faults = new FaultInjector({ random: draws(0.1, 0.8, 0.2), plan: { resetRate: 0.5, failureRate: 0.5 } });
    expect(await faults.decide()).toBe('reset');
    expect(await faults.decide()).toBe('fail');
  });

  it('lets failNext win over the rates without drawing', async () => {
    const faults = new FaultInjector({ random: draws(), plan: { failNext: 1, resetRate: 1 } });
    expect(await faults.decide()).toBe('fail');
  });

  it('resets every call while down, by the injected clock, then recovers', async () => {
    let clock = 1_000_000;
    const faults = new FaultInjector({ now: () => clock, random: draws() });
    faults.downFor(500);
    expect(faults.plan).toEqual({ downUntil: 1_000_500 });
    expect(await faults.decide()).toBe('reset');
    clock += 499;
    expect(await faults.decide()).toBe('reset');
    clock += 1;
    expect(await faults.decide()).toBe('pass');
    expect(faults.plan).toEqual({});
  });

  it('holds the verdict back for the latency and ends early with reset on abort', async () => {
    const faults = new FaultInjector({ plan: { latencyMs: 60_000 } });
    const closing = new AbortController();
    let verdict: string | undefined;
    const decided = faults.decide({ signal: closing.signal }).then((v) => (verdict = v));
    await turn();
    expect(verdict).toBeUndefined();
    expect(faults.pending).toBe(1);

    closing.abort();
    await decided;
    expect(verdict).toBe('reset');
    expect(faults.pending).toBe(0);
  });

  it('gives the verdict once a short latency has elapsed', async () => {
    const faults = new FaultInjector({ plan: { latencyMs: 5, failNext: 1 } });
    const decided = faults.decide();
    expect(faults.pending).toBe(1);
    expect(await decided).toBe('fail');
    expect(faults.pending).toBe(0);
  });

  it('rejects out-of-range values, names the field, and keeps the old plan', () => {
    const faults = new FaultInjector({ plan: { failureRate: 0.2 } });
    const attempt = (): void => faults.set({ failureRate: 1.5, latencyMs: 10 });
    expect(attempt).toThrow(InvalidFaultPlanError);
    expect(attempt).toThrow(/failureRate/);
    expect(() => faults.set({ failStatus: 200 })).toThrow(/failStatus/);
    expect(() => faults.set({ failNext: 1.5 })).toThrow(/failNext/);
    expect(() => faults.set({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => faults.downFor(Number.NaN)).toThrow(InvalidFaultPlanError);
    expect(faults.plan).toEqual({ failureRate: 0.2 });
  });

  it('merges partial plans, clears fields set to undefined, and resets to nothing', () => {
    const faults = new FaultInjector();
    faults.set({ latencyMs: 10, failureRate: 0.1 });
    faults.set({ latencyMs: undefined, resetRate: 0.2 });
    expect(faults.plan).toEqual({ failureRate: 0.1, resetRate: 0.2 });
    faults.reset();
    expect(faults.plan).toEqual({});
  });
});
