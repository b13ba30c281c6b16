import { defineDownstream, RetryableError } from '@coordinator/core';
import { DownstreamGuards } from '@coordinator/core/runtime';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { BreakerLog } from './breaker-log.js';

describe('BreakerLog', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('logs each change of a circuit once: opened, half-open, opened again, closed', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const guards = new DownstreamGuards();
    const breakerLog = new BreakerLog(guards);
    breakerLog.onApplicationBootstrap();
    const oms = defineDownstream({
      name: 'order-management',
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 1_500 },
    });
    const signal = new AbortController().signal;
    const fail = () =>
      guards
        .call(oms, signal, () => Promise.reject(new RetryableError('order management answered 503')))
        .catch(() => undefined);

    await fail();
    await fail();
    await fail(); // refused while open: no new line
    expect(warn.mock.calls).toEqual([
      [
        'circuit order-management opened after 2 consecutive failures; half-open in 1.5 s (last: order management answered 503)',
      ],
    ]);

    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 2_000);
    await fail(); // the trial fails
    expect(log.mock.calls).toEqual([['circuit order-management half-open: letting one trial call through']]);
    expect(warn.mock.calls[1]).toEqual([
      'circuit order-management opened again: the trial call failed; half-open in 1.5 s (last: order management answered 503)',
    ]);

    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 4_000);
    await guards.call(oms, signal, async () => 'ok');
    expect(log.mock.calls.slice(1)).toEqual([
      ['circuit order-management half-open: letting one trial call through'],
      ['circuit order-management closed: calls go through again'],
    ]);
    expect(warn).toHaveBeenCalledTimes(2);

    // After shutdown the host no longer logs its circuits.
    breakerLog.onApplicationShutdown();
    await fail();
    await fail();
    expect(guards.state('order-management')).toBe('open');
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
