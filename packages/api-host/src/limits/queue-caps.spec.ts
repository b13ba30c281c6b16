import { loadSettings, SettingsError } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { QueueCaps } from './queue-caps.js';
import { QueueLimitsSettings } from './queue-limits.settings.js';

const queues = ['orders', 'payments'];
const capsFrom = (env: NodeJS.ProcessEnv) => QueueCaps.from(loadSettings(QueueLimitsSettings, env), queues);

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    capsFrom(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('QueueCaps', () => {
  it('caps every queue at 100000 waiting tasks by default', () => {
    const caps = capsFrom({});
    expect(caps.of('orders')).toBe(100_000);
    expect(caps.of('payments')).toBe(100_000);
  });

  it('takes QUEUE_MAX_WAITING, with 0 meaning unbounded', () => {
    expect(capsFrom({ QUEUE_MAX_WAITING: '500' }).of('orders')).toBe(500);
    const unbounded = capsFrom({ QUEUE_MAX_WAITING: '0' });
    expect(unbounded.of('orders')).toBeUndefined();
    expect(unbounded.boundsAny(queues)).toBe(false);
  });

  it('lets QUEUE_MAX_WAITING_OVERRIDES set or lift the cap of single queues', () => {
    const caps = capsFrom({ QUEUE_MAX_WAITING: '1000', QUEUE_MAX_WAITING_OVERRIDES: '{"payments":5000,"orders":0}' });
    expect(caps.of('payments')).toBe(5000);
    expect(caps.of('orders')).toBeUndefined();
    expect(capsFrom({ QUEUE_MAX_WAITING: '0', QUEUE_MAX_WAITING_OVERRIDES: '{"payments":5}' }).boundsAny(queues)).toBe(
      true,
    );
  });

  it('names every problem of the overrides', () => {
    expect(problemsOf({ QUEUE_MAX_WAITING_OVERRIDES: '{"payments":' })[0]).toMatch(
      /^QUEUE_MAX_WAITING_OVERRIDES is not valid JSON/,
    );
    expect(problemsOf({ QUEUE_MAX_WAITING_OVERRIDES: '[5000]' })).toEqual([
      'QUEUE_MAX_WAITING_OVERRIDES must be a JSON object of queue names to caps, e.g. {"payments":5000}',
    ]);
    expect(problemsOf({ QUEUE_MAX_WAITING_OVERRIDES: '{"paymnts":5000,"orders":-1,"payments":"many"}' })).toEqual([
      'QUEUE_MAX_WAITING_OVERRIDES names queue "paymnts", which no loaded extension has (queues: orders, payments)',
      'QUEUE_MAX_WAITING_OVERRIDES: the cap of "orders" must be a whole number ≥ 0 (0 = unbounded), got -1',
      'QUEUE_MAX_WAITING_OVERRIDES: the cap of "payments" must be a whole number ≥ 0 (0 = unbounded), got "many"',
    ]);
  });

  it('refuses a QUEUE_MAX_WAITING that is not a whole number ≥ 0', () => {
    expect(() => capsFrom({ QUEUE_MAX_WAITING: '-1' })).toThrow(/QUEUE_MAX_WAITING="-1"/);
    expect(() => capsFrom({ QUEUE_MAX_WAITING: 'lots' })).toThrow(SettingsError);
  });
});
