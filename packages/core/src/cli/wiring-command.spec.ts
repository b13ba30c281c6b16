import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli, type CliIo } from './run-cli.js';
import type { WiringReport } from './wiring-command.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = './fixtures/shop-extension.ts,./fixtures/mail-extension.ts';

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), cwd: here, env };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs of blanks between columns collapsed to two, so assertions do not depend on column widths. */
const squeezed = (text: string) => text.replace(/(\S) {2,}/g, '$1  ');

describe('coordinator wiring', () => {
  it('prints tasks, signals, handlers and pipelines as shipped, without Redis', async () => {
    const { code, out, err } = await run(['wiring'], { COORDINATOR_EXTENSIONS: FIXTURES });
    expect(err).toBe('');
    expect(code).toBe(0);
    const text = squeezed(out);
    expect(text).toContain('  shop 1.2.0\n');
    expect(text).toContain('task  shop.charge  queue shop  attempts 3  timeout 30s');
    expect(text).toContain('task  shop.notify  queue shop  attempts 5  timeout 5s');
    expect(text).toContain('signal  shop.refunded  optional');
    expect(text).toContain(
      'shop.charged -> shop.notify  shop  enabled  shop.charged->shop.notify\n' +
        '  shop.charged -> mail.send  mail  enabled  shop.charged->mail.send\n' +
        '  shop.refunded -> mail.send  -  disabled; shipped disabled  shop.refunded->mail.send',
    );
    expect(text).toContain('mail.render (mail; timeout 2s; default steps)\n    1. mail.subject\n    2. mail.body\n');
    expect(text).toContain('Queues: shop, mail');
  });

  it('marks what COORDINATOR_WIRING and COORDINATOR_PIPELINES change, also as JSON', async () => {
    const env = {
      COORDINATOR_EXTENSIONS: FIXTURES,
      COORDINATOR_WIRING: JSON.stringify({
        'shop.charged->shop.notify': { queue: 'shop-slow' },
        'shop.charged->mail.send': { enabled: false },
        'shop.refunded->mail.send': { enabled: true },
      }),
      COORDINATOR_PIPELINES: JSON.stringify({ 'mail.render': ['mail.body', 'mail.footer'] }),
    };
    const text = squeezed((await run(['wiring'], env)).out);
    expect(text).toContain(
      'shop.charged -> shop.notify  shop-slow  enabled; re-routed by COORDINATOR_WIRING from queue shop  shop.charged->shop.notify',
    );
    expect(text).toContain(
      'shop.charged -> mail.send  -  disabled; disabled by COORDINATOR_WIRING  shop.charged->mail.send',
    );
    expect(text).toContain(
      'shop.refunded -> mail.send  mail  enabled; shipped disabled, enabled by COORDINATOR_WIRING',
    );
    expect(text).toContain(
      'mail.render (mail; timeout 2s; steps from COORDINATOR_PIPELINES)\n    1. mail.body\n    2. mail.footer',
    );

    const json = await run(['wiring', '--json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as WiringReport;
    expect(report.queues).toEqual(['shop', 'mail', 'shop-slow']);
    expect(report.signals.find((s) => s.name === 'shop.charged')?.handlers).toEqual([
      {
        id: 'shop.charged->shop.notify',
        task: 'shop.notify',
        extension: 'shop',
        queue: 'shop-slow',
        enabled: true,
        notes: ['re-routed by COORDINATOR_WIRING from queue shop'],
      },
      {
        id: 'shop.charged->mail.send',
        task: 'mail.send',
        extension: 'mail',
        enabled: false,
        notes: ['disabled by COORDINATOR_WIRING'],
      },
    ]);
    expect(report.pipelines).toEqual([
      {
        name: 'mail.render',
        extension: 'mail',
        timeoutMs: 2_000,
        source: 'COORDINATOR_PIPELINES',
        steps: ['mail.body', 'mail.footer'],
      },
    ]);
  });

  it('exits 1 with every problem when the hosts would refuse the wiring', async () => {
    const { code, out, err } = await run(['wiring'], {
      COORDINATOR_EXTENSIONS: FIXTURES,
      COORDINATOR_WIRING: JSON.stringify({ 'shop.charged->shop.notify': { enabled: false }, 'nope->mail.send': {} }),
      COORDINATOR_PIPELINES: JSON.stringify({ 'mail.render': ['mail.nope'] }),
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual([
      'coordinator: cannot load extensions:',
      '  - COORDINATOR_WIRING names handler "nope->mail.send", which no loaded extension declares',
      '  - COORDINATOR_PIPELINES["mail.render"] names step "mail.nope", which no loaded extension defines',
    ]);
  });

  it('exits 2 naming a missing or bad variable, and explains itself with --help', async () => {
    const missing = await run(['wiring'], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('COORDINATOR_EXTENSIONS is required');
    const bad = await run(['wiring'], { COORDINATOR_EXTENSIONS: FIXTURES, COORDINATOR_WIRING: '{' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^coordinator: COORDINATOR_WIRING is not valid JSON/);
    const extra = await run(['wiring', 'orders'], { COORDINATOR_EXTENSIONS: FIXTURES });
    expect(extra).toEqual({
      code: 2,
      out: '',
      err: 'coordinator: unexpected argument "orders"\nRun "coordinator wiring --help" for usage.',
    });
    const help = await run(['wiring', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: coordinator wiring \[--json\]/);
  });
});

describe('the built coordinator bin', () => {
  const bin = 'packages/core/dist/cli/coordinator.js';
  // No ORDERS_* or PAYMENTS_* variables and no REDIS_URL: wiring reads no extension
  // settings (only Nest modules do) and touches no Redis.
  const spawnWiring = (env: Record<string, string>) =>
    spawnSync(process.execPath, [bin, 'wiring'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        NODE_OPTIONS: '',
        COORDINATOR_EXTENSIONS: '@coordinator/extension-orders,@coordinator/extension-payments',
        ...env,
      },
    });

  it('prints the wiring of the orders and payments extensions, resolved from the working directory', () => {
    const result = spawnWiring({});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = squeezed(result.stdout);
    expect(text).toContain(
      'order.placed -> payments.create-payment  payments  enabled  order.placed->payments.create-payment',
    );
    expect(text).toContain('order.cancelled -> payments.refund  payments  enabled');
    expect(text).toContain('payment.captured -> orders.fulfil  orders  enabled');
    expect(text).toContain('task  orders.submit  queue orders  attempts 8  timeout 30s');
    expect(text).toContain('payments.receipt (payments; timeout 3s; default steps)');
  });

  it('exits 1 naming the unknown handler of a broken COORDINATOR_WIRING', () => {
    const result = spawnWiring({ COORDINATOR_WIRING: '{"order.placed->payments.charge-twice": {"enabled": false}}' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'coordinator: cannot load extensions:\n' +
        '  - COORDINATOR_WIRING names handler "order.placed->payments.charge-twice", which no loaded extension declares\n',
    );
  });
});
