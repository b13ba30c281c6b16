import { describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { createHostLogger, PinoNestLogger, type HostLoggerOptions } from './host-logger.js';
import { REDACTED, redactFields, scrubSecrets, secretValues } from './redaction.js';

function capture(options: Partial<HostLoggerOptions> = {}) {
  const lines: string[] = [];
  const logger = createHostLogger({
    service: 'test-host',
    env: {},
    destination: { write: (line: string) => void lines.push(line) },
    ...options,
  });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createHostLogger', () => {
  it('writes one JSON object per line with time, level, service and message', () => {
    const { logger, lines, records } = capture();
    logger.info({ orderId: 'o-1' }, 'order accepted');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(records()[0]).toMatchObject({ level: 'info', service: 'test-host', orderId: 'o-1', msg: 'order accepted' });
    expect(typeof records()[0]!['time']).toBe('string');
  });

  it('adds no trace fields without an active span', () => {
    const { logger, records } = capture();
    logger.info('no trace');
    expect(records()[0]).not.toHaveProperty('traceId');
  });

  it('honours the level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
  });

  it('masks credentials at any depth but keeps idempotency keys', () => {
    const { logger, records } = capture();
    logger.info(
      {
        headers: {
          authorization: 'Bearer abc',
          cookie: 'sid=1',
          'stripe-signature': 't=1,v1=x',
          'idempotency-key': 'k-1',
        },
        provider: { apiKey: 'sk_live_1', api_key: 'sk_live_2', webhookSecret: 'whsec_1', password: 'hunter2' },
        list: [{ 'x-api-key': 'abc' }],
      },
      'call',
    );
    expect(records()[0]).toMatchObject({
      headers: { authorization: REDACTED, cookie: REDACTED, 'stripe-signature': REDACTED, 'idempotency-key': 'k-1' },
      provider: { apiKey: REDACTED, api_key: REDACTED, webhookSecret: REDACTED, password: REDACTED },
      list: [{ 'x-api-key': REDACTED }],
    });
  });

  it('scrubs the values of secret environment variables from the whole line', () => {
    const env = {
      PAYMENTS_PROVIDER_API_KEY: 'sk_test_0123456789',
      PAYMENTS_STRIPE_WEBHOOK_SECRET: 'whsec_abcdefghij',
      REDIS_URL: 'redis://:redis-pass-42@localhost:6379',
      ORDERS_OMS_URL: 'http://oms.internal',
    };
    const { logger, lines } = capture({ env });
    logger.error(
      { reason: 'Invalid API Key provided: sk_test_0123456789', url: 'http://oms.internal' },
      'whsec_abcdefghij rejected; redis-pass-42 too',
    );
    expect(lines[0]).not.toContain('sk_test_0123456789');
    expect(lines[0]).not.toContain('whsec_abcdefghij');
    expect(lines[0]).not.toContain('redis-pass-42');
    expect(lines[0]).toContain('http://oms.internal');
  });

  it('writes readable lines with LOG_FORMAT=pretty', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.info({ context: 'ApiHost', port: 3000 }, 'listening');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[ApiHost\] listening \{"port":3000\}\n$/);
  });
});

describe('PinoNestLogger', () => {
  const nest = () => {
    const captured = capture({ level: 'trace' });
    return { ...captured, nest: new PinoNestLogger(captured.logger) };
  };

  it("takes Nest's trailing context and structured params as fields", () => {
    const { nest: logger, records } = nest();
    logger.log('order created', { orderId: 'o-1' }, 'orders.submit');
    logger.verbose('details');
    expect(records()).toMatchObject([
      { level: 'info', context: 'orders.submit', orderId: 'o-1', msg: 'order created' },
      { level: 'trace', msg: 'details' },
    ]);
  });

  it('keeps the stack of error(message, stack) and serialises errors', () => {
    const { nest: logger, records } = nest();
    const error = new Error('boom');
    logger.error('failed', error.stack);
    logger.error(error, 'Worker');
    const [first, second] = records();
    expect(first).toMatchObject({ level: 'error', msg: 'failed' });
    expect(first!['stack']).toContain('Error: boom');
    expect(second).toMatchObject({ context: 'Worker', msg: 'boom', err: { message: 'boom', type: 'Error' } });
  });

  it('serves every Nest Logger once installed', () => {
    const { nest: logger, records } = nest();
    Logger.overrideLogger(logger);
    try {
      new Logger('WorkerHost').warn('queue orders: connection lost', { attempt: 2 });
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    expect(records()[0]).toMatchObject({ level: 'warn', context: 'WorkerHost', attempt: 2 });
  });
});

describe('redaction helpers', () => {
  it('leave non-plain objects alone and cut deep structures', () => {
    const date = new Date(0);
    expect(redactFields({ at: date })).toEqual({ at: date });
    let deep: Record<string, unknown> = { secret: 'x' };
    for (let i = 0; i < 12; i++) deep = { next: deep };
    expect(JSON.stringify(redactFields(deep))).toContain('[Truncated]');
  });

  it('find secret variables, but not short or unrelated values', () => {
    const secrets = secretValues({ MY_TOKEN: 'short', SERVICE_API_KEY: 'long-enough-key', PORT: '3000000000' });
    expect(secrets).toEqual(['long-enough-key']);
    expect(scrubSecrets('key=long-enough-key port=3000000000', secrets)).toBe(`key=${REDACTED} port=3000000000`);
  });
});
