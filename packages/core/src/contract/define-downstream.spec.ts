import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { IsString } from 'class-validator';
import { DEFAULT_BREAKER_POLICY, defineDownstream, isDownstreamDefinition } from './define-downstream.js';
import { defineTask } from './define-task.js';
import type { TaskHandler } from './task-context.js';

class Thing {
  @IsString()
  id!: string;
}

@Injectable()
class Noop implements TaskHandler<Thing> {
  async run() {
    return null;
  }
}

describe('defineDownstream', () => {
  it('returns a frozen, branded definition with the defaults filled in', () => {
    const oms = defineDownstream({ name: 'order-management' });
    expect({ ...oms }).toEqual({
      [Symbol.for('@coordinator/core.downstream')]: true,
      name: 'order-management',
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
      bulkhead: { maxConcurrent: 10, maxQueued: 10 },
    });
    expect(oms.breaker).toEqual(DEFAULT_BREAKER_POLICY);
    expect(Object.isFrozen(oms)).toBe(true);
    expect(Object.isFrozen(oms.breaker)).toBe(true);
    expect(Object.isFrozen(oms.bulkhead)).toBe(true);
    expect(isDownstreamDefinition(oms)).toBe(true);
    expect(isDownstreamDefinition({ ...oms, [Symbol.for('@coordinator/core.downstream')]: undefined })).toBe(false);
    expect(isDownstreamDefinition(null)).toBe(false);
  });

  it('keeps what the spec sets; maxQueued follows maxConcurrent unless set, and may be 0', () => {
    expect(
      defineDownstream({ name: 'psp', breaker: { halfOpenAfterMs: 30_000 }, bulkhead: { maxConcurrent: 3 } }),
    ).toMatchObject({
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 30_000 },
      bulkhead: { maxConcurrent: 3, maxQueued: 3 },
    });
    expect(defineDownstream({ name: 'psp', bulkhead: { maxQueued: 0 } }).bulkhead).toEqual({
      maxConcurrent: 10,
      maxQueued: 0,
    });
    // An explicit undefined keeps the default.
    expect(defineDownstream({ name: 'psp', breaker: { consecutiveFailures: undefined } }).breaker).toEqual(
      DEFAULT_BREAKER_POLICY,
    );
  });

  it.each(['', 'OrderManagement', 'order_management', 'order.management', '-oms', 'oms-', 'order--management', '1oms'])(
    'refuses the name %j, asking for kebab-case',
    (name) => {
      expect(() => defineDownstream({ name })).toThrow(
        `downstream name "${name}" must be kebab-case, like "order-management"`,
      );
    },
  );

  it.each([
    [{ breaker: { consecutiveFailures: 0 } }, 'breaker.consecutiveFailures must be an integer >= 1, not 0'],
    [{ breaker: { consecutiveFailures: 2.5 } }, 'breaker.consecutiveFailures must be an integer >= 1, not 2.5'],
    [{ breaker: { halfOpenAfterMs: 0 } }, 'breaker.halfOpenAfterMs must be an integer >= 1, not 0'],
    [{ breaker: { halfOpenAfterMs: Infinity } }, 'breaker.halfOpenAfterMs must be an integer >= 1, not Infinity'],
    [{ bulkhead: { maxConcurrent: 0 } }, 'bulkhead.maxConcurrent must be an integer >= 1, not 0'],
    [{ bulkhead: { maxConcurrent: Number.NaN } }, 'bulkhead.maxConcurrent must be an integer >= 1, not NaN'],
    [{ bulkhead: { maxQueued: -1 } }, 'bulkhead.maxQueued must be an integer >= 0, not -1'],
  ])('refuses %j, naming the field', (spec, message) => {
    expect(() => defineDownstream({ name: 'oms', ...spec })).toThrow(new RangeError(`downstream oms: ${message}`));
  });
});

describe('defineTask({ downstreams })', () => {
  const oms = defineDownstream({ name: 'order-management' });

  it('keeps the declared downstreams, frozen and once each; none by default', () => {
    const task = defineTask({ name: 'a.do', payload: Thing, handler: Noop, downstreams: [oms, oms] });
    expect(task.downstreams).toEqual([oms]);
    expect(Object.isFrozen(task.downstreams)).toBe(true);
    expect(defineTask({ name: 'a.other', payload: Thing, handler: Noop }).downstreams).toEqual([]);
  });

  it('refuses a downstream not made by defineDownstream', () => {
    const fake = { name: 'order-management', breaker: oms.breaker, bulkhead: oms.bulkhead };
    expect(() =>
      defineTask({ name: 'a.do', payload: Thing, handler: Noop, downstreams: [fake as unknown as typeof oms] }),
    ).toThrow('task a.do: downstreams must be made by defineDownstream()');
  });
});
