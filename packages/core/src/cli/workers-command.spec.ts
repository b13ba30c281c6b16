import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WorkerHeartbeats, type WorkerHeartbeat } from '../runtime/worker-heartbeats.js';
import { runCli, type CliIo } from './run-cli.js';
import { workersReport, type WorkersReport } from './workers-command.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const prefix = `{test-${randomUUID().slice(0, 8)}}`;
const env = {
  REDIS_URL: process.env.REDIS_URL,
  COORDINATOR_PREFIX: prefix,
  COORDINATOR_EXTENSIONS: './fixtures/shop-extension.ts,./fixtures/mail-extension.ts',
};

async function run(args: string[], environment: NodeJS.ProcessEnv = env) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), cwd: here, env: environment };
  const code = await runCli(args, io);
  return { code, out, err };
}

const host = (id: string, shopVersion: string, startedAt: string): WorkerHeartbeat => ({
  id,
  hostname: `box-${id}`,
  pid: 100,
  startedAt,
  heartbeatAt: new Date().toISOString(),
  queues: ['shop'],
  extensions: [
    { name: 'shop', version: shopVersion },
    { name: 'mail', version: '2.0.0' },
  ],
  coreVersion: '0.1.0',
});

let redis: Redis;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
});
afterAll(() => redis.quit());

describe('coordinator workers', () => {
  it('says when no worker host is live and that every queue is then unserved', async () => {
    const { code, out, err } = await run(['workers']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toEqual([
      'No live worker hosts (none has written a heartbeat in the last 15s).',
      'Queues nobody serves: shop, mail (their jobs wait until a worker host serves them)',
    ]);
  });

  it('lists live hosts, names the queues nobody serves and flags version skew', async () => {
    const heartbeats = new WorkerHeartbeats(redis, prefix);
    await heartbeats.beat(host('a', '1.2.0', '2026-01-01T00:00:00.000Z'));
    await heartbeats.beat(host('b', '1.3.0', '2026-01-02T00:00:00.000Z'));

    const { code, out } = await run(['workers']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^WORKER +HOSTNAME +PID +QUEUES +EXTENSIONS +CORE +HEARTBEAT$/);
    expect(out[1]).toMatch(/^a +box-a +100 +shop +shop@1\.2\.0 mail@2\.0\.0 +0\.1\.0 +\d+ms ago$/);
    expect(out[2]).toMatch(/^b +box-b +100 +shop +shop@1\.3\.0 mail@2\.0\.0 +0\.1\.0 +\d+ms ago$/);
    expect(out.slice(3)).toEqual([
      '',
      '2 live worker hosts.',
      'Queues nobody serves: mail (their jobs wait until a worker host serves them)',
      'Version skew: shop runs 1.2.0 on a; 1.3.0 on b',
    ]);

    const json = JSON.parse((await run(['workers', '--json'])).out.join('\n')) as WorkersReport;
    expect(json.workers.map((w) => w.id)).toEqual(['a', 'b']);
    expect(json.unservedQueues).toEqual(['mail']);
    expect(json.versionSkew).toEqual([{ name: 'shop', versions: { '1.2.0': ['a'], '1.3.0': ['b'] } }]);
  });

  it('flags core skew too, and ages heartbeats', () => {
    const now = Date.parse('2026-01-01T00:00:10.000Z');
    const beat = (id: string, core: string): WorkerHeartbeat => ({
      ...host(id, '1.2.0', '2026-01-01T00:00:00.000Z'),
      heartbeatAt: '2026-01-01T00:00:07.500Z',
      queues: ['shop', 'mail'],
      coreVersion: core,
    });
    const report = workersReport([beat('a', '0.1.0'), beat('b', '0.2.0')], ['shop', 'mail'], now);
    expect(report.workers.map((w) => w.heartbeatAgeMs)).toEqual([2_500, 2_500]);
    expect(report.unservedQueues).toEqual([]);
    expect(report.versionSkew).toEqual([{ name: '@coordinator/core', versions: { '0.1.0': ['a'], '0.2.0': ['b'] } }]);
  });

  it('explains itself with --help', async () => {
    const help = await run(['workers', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.out[0]).toMatch(/^Usage: coordinator workers \[--json\]\n/);
  });
});
