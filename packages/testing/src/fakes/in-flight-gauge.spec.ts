import { describe, expect, it } from '@jest/globals';
import { InFlightGauge } from './in-flight-gauge.js';

describe('InFlightGauge', () => {
  it('counts calls in and out and keeps the high-water mark', () => {
    const gauge = new InFlightGauge();
    const a = gauge.enter();
    const b = gauge.enter();
    expect([gauge.current, gauge.peak]).toEqual([2, 2]);
    a();
    const c = gauge.enter();
    expect([gauge.current, gauge.peak]).toEqual([2, 2]);
    b();
    c();
    expect([gauge.current, gauge.peak]).toEqual([0, 2]);
  });

  it('counts a call out once, however often its leave function is called', () => {
    const gauge = new InFlightGauge();
    const leave = gauge.enter();
    gauge.enter();
    leave();
    leave();
    expect(gauge.current).toBe(1);
  });

  it('restarts the peak from the calls still in flight', () => {
    const gauge = new InFlightGauge();
    const first = gauge.enter();
    const second = gauge.enter();
    second();
    gauge.resetPeak();
    expect(gauge.peak).toBe(1);
    first();
    expect(gauge.peak).toBe(1);
    gauge.enter();
    gauge.enter();
    expect(gauge.peak).toBe(2);
  });
});
