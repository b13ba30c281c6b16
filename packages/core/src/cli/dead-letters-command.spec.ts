import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BullMqTransport } from '../runtime/bullmq-transport.js';
import { loadRegistry } from '../runtime/load-registry.js';
import { workerRedisOptions } from '../runtime/redis-options.js';
import type { DeadLetter } from './dead-letters-list.js';
import { mailSend } from './fixtures/mail-extension.js';
import { shopCharge } from './fixtures/shop-extension.js';
import type { QueueCounts } from './queues-command.js';
import { runCli, type CliIo } from './run-cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const redisUrl = process.env.REDIS_URL!;
const prefix = `{test-${randomUUID().slice(0, 8)}}`;
const env = {
  REDIS_URL: redisUrl,
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

const countsOf = async () =>
  Object.fromEntries(
    (JSON.parse((await run(['queues', '--json'])).out.join('\n')) as { queues: QueueCounts[] }).queues.map((q) => [
      q.queue,
      q,
    ]),
  );

/** Runs every waiting job of `queue` once with `process`, then stops the worker. */
async function work(queue: string, count: number, process: (job: Job) => Promise<unknown>): Promise<void> {
  let settled = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const worker = new Worker(queue, process, { connection: workerRedisOptions(redisUrl), prefix });
  const tick = () => (++settled === count ? done() : undefined);
  worker.on('completed', tick);
  worker.on('failed', tick);
  await finished;
  await worker.close();
}

let transport: BullMqTransport;
let charges: string[];

beforeAll(async () => {
  const registry = await loadRegistry(env, { cwd: here });
  transport = new BullMqTransport(registry, { redisUrl, prefix });
  charges = [];
  for (const id of ['sale-1', 'sale-2', 'sale-3', 'sale-4']) {
    charges.push((await transport.dispatcher.dispatch(shopCharge, { id }, { correlationId: `order-${id}` })).taskId);
  }
  // Three charges fail permanently on their first attempt (of 3); the last completes.
  await work('shop', 4, async (job) => {
    if ((job.data as { payload: { id: string } }).payload.id !== 'sale-4')
      throw new UnrecoverableError('card declined');
    return { result: null, emitted: [] };
  });
  await transport.dispatcher.dispatch(mailSend, { id: 'waiting-mail' });
});
afterAll(() => transport.close());

describe('coordinator queues', () => {
  it('counts jobs per state per queue, as a table and as JSON', async () => {
    const { code, out, err } = await run(['queues']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toEqual([
      'QUEUE  WAITING  ACTIVE  DELAYED  PRIORITIZED  COMPLETED  FAILED',
      'shop         0       0        0            0          1       3',
      'mail         1       0        0            0          0       0',
    ]);
    expect((await countsOf()).shop).toEqual({
      queue: 'shop',
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
      completed: 1,
      failed: 3,
    });
  });

  it('exits 2 with one line naming REDIS_URL when Redis is unreachable', async () => {
    const { code, out, err } = await run(['queues'], { ...env, REDIS_URL: 'redis://:secret@127.0.0.1:1' });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^coordinator: cannot reach Redis at REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:1 \(.+\)$/);
  });
});

describe('coordinator dead-letters', () => {
  it('lists failed jobs with attempts, reason, time and the version that enqueued them', async () => {
    const { code, out, err } = await run(['dead-letters', 'list', '--queue', 'shop']);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^TASK ID +TASK +QUEUE +ATTEMPTS +FAILED AT +ENQUEUED BY +REASON$/);
    for (const taskId of charges.slice(0, 3)) {
      expect(out).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${taskId.replace(/\./g, '\\.')} +shop\\.charge +shop +1/3 +\\d{4}-\\d\\d-\\d\\dT\\S+Z +shop@1\\.2\\.0 +card declined$`,
          ),
        ),
      );
    }
    expect(out.slice(-2)).toEqual([
      'Showing 3 of 3 failed jobs (shop 3).',
      'Replay with: coordinator dead-letters replay <taskId…>, or --all [--queue q]',
    ]);

    const json = await run(['dead-letters', 'list', '--limit', '2', '--json']);
    const listed = JSON.parse(json.out.join('\n')) as { failed: Record<string, number>; jobs: DeadLetter[] };
    expect(listed.failed).toEqual({ shop: 3, mail: 0 });
    expect(listed.jobs).toHaveLength(2);
    expect(listed.jobs[0]).toMatchObject({
      task: 'shop.charge',
      queue: 'shop',
      attemptsMade: 1,
      maxAttempts: 3,
      failedReason: 'card declined',
      enqueuedBy: 'shop@1.2.0',
    });
    expect(listed.jobs[0]!.correlationId).toMatch(/^order-sale-[123]$/);
  });

  it('replays a failed job once: attempts reset, same job; a second replay skips it', async () => {
    const [taskId] = charges;
    const first = await run(['dead-letters', 'replay', taskId!]);
    expect(first).toEqual({ code: 0, err: [], out: [`replayed ${taskId} (queue shop)`, 'replayed 1/1'] });
    const job = await transport.queue('shop').getJob(taskId!);
    expect(await job!.getState()).toBe('waiting');
    expect(job!.attemptsMade).toBe(0);
    expect(job!.failedReason).toBeFalsy();

    const again = await run(['dead-letters', 'replay', taskId!]);
    expect(again).toEqual({
      code: 0,
      err: [],
      out: [`${taskId}: not failed (waiting), skipped`, 'replayed 0/1 (1 skipped)'],
    });
    expect((await countsOf()).shop).toMatchObject({ waiting: 1, failed: 2 });

    const unknown = await run(['dead-letters', 'replay', 'shop.charge.0123456789abcdef']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toEqual([
      'shop.charge.0123456789abcdef: not found (unknown id, or removed after its retention)',
      'replayed 0/1 (1 not found)',
    ]);
  });

  it('replays every failed job of a queue with --all, with progress, and nothing on a second run', async () => {
    for (let i = 0; i < 104; i += 1) await transport.dispatcher.dispatch(mailSend, { id: `mail-${i}` });
    await work('mail', 105, async () => {
      throw new UnrecoverableError('smtp down');
    });
    expect((await countsOf()).mail).toMatchObject({ waiting: 0, failed: 105 });

    const all = await run(['dead-letters', 'replay', '--all', '--queue', 'mail']);
    expect(all.err).toEqual([]);
    expect(all.code).toBe(0);
    expect(all.out[0]).toBe('Replaying 105 failed jobs.');
    expect(all.out).toContain('replayed 100/105');
    expect(all.out.at(-1)).toBe('replayed 105/105');
    expect((await countsOf()).mail).toMatchObject({ waiting: 105, failed: 0 });
    expect((await countsOf()).shop).toMatchObject({ failed: 2 });

    const again = await run(['dead-letters', 'replay', '--all', '--queue', 'mail']);
    expect(again).toEqual({ code: 0, err: [], out: ['No failed jobs in mail.'] });
    expect((await countsOf()).mail).toMatchObject({ waiting: 105, failed: 0 });
  });

  it('refuses a wrong command line and explains itself with --help', async () => {
    expect((await run(['dead-letters', 'replay'])).code).toBe(2);
    expect((await run(['dead-letters', 'replay', 'x', '--all'])).err[0]).toBe(
      'coordinator: give task ids or --all, not both',
    );
    expect((await run(['dead-letters', 'list', '--limit', 'ten'])).err).toEqual([
      'coordinator: --limit must be a whole number of at least 1 (got "ten")',
      'Run "coordinator dead-letters list --help" for usage.',
    ]);
    expect((await run(['dead-letters', 'purge'])).code).toBe(2);
    for (const args of [
      ['dead-letters', '--help'],
      ['dead-letters', 'list', '--help'],
      ['dead-letters', 'replay', '-h'],
    ]) {
      const help = await run(args);
      expect(help.code).toBe(0);
      expect(help.out[0]).toMatch(/^Usage: coordinator dead-letters/);
    }
  });
});
