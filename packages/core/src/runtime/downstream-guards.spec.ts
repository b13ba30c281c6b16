import { describe, expect, it } from '@jest/globals';
import { defineDownstream, type DownstreamSpec } from '../contract/define-downstream.js';
import { PermanentError, RetryableError } from '../contract/errors.js';
import type { BreakerStateChange } from './downstream-guard.js';
import { DownstreamGuards } from './downstream-guards.js';
import { JobDeferral } from './job-deferral.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setUp(spec: Partial<DownstreamSpec> = {}) {
  const downstream = defineDownstream({ name: 'oms', ...spec });
  const guards = new DownstreamGuards();
  const changes: BreakerStateChange[] = [];
  guards.watch((change) => changes.push(change));
  let calls = 0;
  const call = <T>(fn: (signal: AbortSignal) => Promise<T>, signal = new AbortController().signal) =>
    guards.call(downstream, signal, (s) => {
      calls += 1;
      return fn(s);
    });
  const fail = () => call(() => Promise.reject(new RetryableError('OMS answered 503'))).catch((e: unknown) => e);
  const succeed = () => call(async () => 'ok');
  return { downstream, guards, changes, call, fail, succeed, calls: () => calls };
}

/** A call the test ends by hand, to hold a bulkhead slot or a trial in flight. */
function pending<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('DownstreamGuards: the circuit breaker', () => {
  it('opens after N consecutive failures, then defers calls without running them', async () => {
    const { guards, changes, fail, succeed, calls } = setUp({
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 10_000 },
    });
    expect(await fail()).toBeInstanceOf(RetryableError);
    expect(await fail()).toBeInstanceOf(RetryableError);
    expect(guards.state('oms')).toBe('closed');
    expect(await fail()).toBeInstanceOf(RetryableError);
    expect(guards.state('oms')).toBe('open');
    expect(changes).toEqual([
      {
        downstream: 'oms',
        state: 'open',
        previous: 'closed',
        cause: 'failures',
        consecutiveFailures: 3,
        halfOpenInMs: 10_000,
        lastFailure: 'OMS answered 503',
      },
    ]);

    const refused = await succeed().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JobDeferral);
    expect(refused).toMatchObject({ reason: 'downstream-unavailable' });
    expect((refused as JobDeferral).message).toMatch(
      /^oms is unavailable: its circuit is open \(last failure: OMS answered 503\); a trial call is due in \d+\.\d s$/,
    );
    // About the time left until half-open, jittered by 20%.
    expect((refused as JobDeferral).delayMs).toBeGreaterThan(7_000);
    expect((refused as JobDeferral).delayMs).toBeLessThanOrEqual(12_000);
    expect(calls()).toBe(3);
    expect(changes).toHaveLength(1);
  });

  it('a success in between resets the count', async () => {
    const { guards, fail, succeed } = setUp({ breaker: { consecutiveFailures: 3 } });
    await fail();
    await fail();
    await succeed();
    await fail();
    await fail();
    expect(guards.state('oms')).toBe('closed');
  });

  it('counts a PermanentError (the service answered, the request was wrong) as a success, and passes it on', async () => {
    const { guards, call, fail } = setUp({ breaker: { consecutiveFailures: 2 } });
    const rejected = new PermanentError('OMS rejected the order: 422');
    for (let i = 0; i < 5; i += 1) {
      await expect(call(() => Promise.reject(rejected))).rejects.toBe(rejected);
    }
    expect(guards.state('oms')).toBe('closed');
    await fail();
    await expect(call(() => Promise.reject(rejected))).rejects.toBe(rejected);
    await fail();
    expect(guards.state('oms')).toBe('closed');
  });

  it('does not count a call cut short by the task signal (timeout, shutdown), and passes its error on', async () => {
    const { guards, call } = setUp({ breaker: { consecutiveFailures: 2 } });
    for (let i = 0; i < 4; i += 1) {
      const task = new AbortController();
      const error = await call(async () => {
        task.abort(new Error('worker host shutting down'));
        throw new RetryableError('order management unreachable: This operation was aborted');
      }, task.signal).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: 'order management unreachable: This operation was aborted' });
    }
    expect(guards.state('oms')).toBe('closed');
    // A signal that fired before the call: nothing runs, the reason comes back.
    const gone = new AbortController();
    gone.abort(new Error('task timed out'));
    await expect(call(async () => 'never', gone.signal)).rejects.toThrow('task timed out');
  });

  it('refuses calls until halfOpenAfterMs, then lets one trial through; a success closes it', async () => {
    const { guards, changes, call, fail, calls } = setUp({
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 100 },
    });
    await fail();
    expect(guards.deferralBeforeStart([defineDownstream({ name: 'oms' })])).toBeInstanceOf(JobDeferral);
    await sleep(130);
    // A trial is due: a job may start, and its call is the trial.
    expect(guards.deferralBeforeStart([defineDownstream({ name: 'oms' })])).toBeUndefined();
    expect(guards.state('oms')).toBe('open');

    const trial = pending();
    const trialCall = call(() => trial.promise);
    expect(guards.state('oms')).toBe('half-open');
    // While the trial is in flight, others come back later instead of waiting in a slot.
    const other = await call(async () => 'not now').catch((e: unknown) => e);
    expect(other).toBeInstanceOf(JobDeferral);
    expect((other as JobDeferral).message).toBe(
      'oms is being tried: its circuit is half-open and the trial call is in flight',
    );
    expect((other as JobDeferral).delayMs).toBeGreaterThanOrEqual(1_000);
    expect(calls()).toBe(2);

    trial.resolve('back');
    await expect(trialCall).resolves.toBe('back');
    expect(guards.state('oms')).toBe('closed');
    await expect(call(async () => 'flowing')).resolves.toBe('flowing');
    expect(changes.map((c) => [c.previous, c.state])).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('reopens when the trial call fails', async () => {
    const { guards, changes, fail } = setUp({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 50 } });
    await fail();
    await fail();
    await sleep(70);
    expect(await fail()).toBeInstanceOf(RetryableError);
    expect(guards.state('oms')).toBe('open');
    expect(changes.at(-1)).toEqual({
      downstream: 'oms',
      state: 'open',
      previous: 'half-open',
      cause: 'trial-failed',
      halfOpenInMs: 50,
      lastFailure: 'OMS answered 503',
    });
  });

  it('defers before start only a downstream whose circuit is open; unknown ones are closed', async () => {
    const { guards, downstream, fail } = setUp({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 5_000 } });
    const other = defineDownstream({ name: 'psp' });
    expect(guards.deferralBeforeStart([downstream, other])).toBeUndefined();
    expect(guards.state('psp')).toBe('closed');
    await fail();
    const deferral = guards.deferralBeforeStart([other, downstream]);
    expect(deferral).toMatchObject({ reason: 'downstream-unavailable' });
    expect(deferral!.delayMs).toBeGreaterThanOrEqual(1_000);
    expect(deferral!.delayMs).toBeLessThanOrEqual(6_000);
  });

  it('keeps calling when a listener throws', async () => {
    const { guards, fail, succeed } = setUp({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 20 } });
    guards.watch(() => {
      throw new Error('a broken log sink');
    });
    await fail();
    await sleep(40);
    await expect(succeed()).resolves.toBe('ok');
    expect(guards.state('oms')).toBe('closed');
  });
});

describe('DownstreamGuards: the bulkhead', () => {
  it('never runs more than maxConcurrent calls at once; the others wait for a slot', async () => {
    const { call } = setUp({ bulkhead: { maxConcurrent: 3, maxQueued: 100 } });
    let inFlight = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        call(async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await sleep(2 + (i % 5) * 3);
          inFlight -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(most).toBe(3);
  });

  it('defers a call when the queue is full too, without running it', async () => {
    const { call, calls } = setUp({ bulkhead: { maxConcurrent: 1, maxQueued: 1 } });
    const first = pending();
    const running = call(() => first.promise);
    const waiting = call(async () => 'second');
    const refused = await call(async () => 'third').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JobDeferral);
    expect(refused).toMatchObject({
      reason: 'downstream-unavailable',
      message: 'oms is busy in this worker: 1 calls in flight and 1 waiting',
    });
    expect((refused as JobDeferral).delayMs).toBeGreaterThanOrEqual(1_000);
    first.resolve('first');
    await expect(running).resolves.toBe('first');
    await expect(waiting).resolves.toBe('second');
    expect(calls()).toBe(2);
  });

  it('a waiting call whose task is aborted gives up at once and never runs', async () => {
    const { call, calls } = setUp({ bulkhead: { maxConcurrent: 1, maxQueued: 5 } });
    const first = pending();
    const running = call(() => first.promise);
    const task = new AbortController();
    const waiting = call(async () => 'never', task.signal);
    task.abort(new Error('task timed out after 50 ms'));
    await expect(waiting).rejects.toThrow('task timed out after 50 ms');
    first.resolve('first');
    await running;
    await sleep(5);
    expect(calls()).toBe(1);
  });

  it('gives each downstream name its own bulkhead and breaker', async () => {
    const guards = new DownstreamGuards();
    const never = new AbortController().signal;
    const oms = defineDownstream({ name: 'oms', bulkhead: { maxConcurrent: 1, maxQueued: 0 } });
    const psp = defineDownstream({ name: 'psp', bulkhead: { maxConcurrent: 1, maxQueued: 0 } });
    const held = pending();
    const omsCall = guards.call(oms, never, () => held.promise);
    await expect(guards.call(psp, never, async () => 'psp')).resolves.toBe('psp');
    await expect(guards.call(oms, never, async () => 'oms')).rejects.toBeInstanceOf(JobDeferral);
    held.resolve('done');
    await omsCall;
  });
});
