import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { shopCharge, shopCharged } from '../cli/fixtures/shop-extension.js';
import { CORRELATION_RETENTION_SECONDS, correlationKey } from './bullmq-dispatcher.js';
import { BullMqTransport } from './bullmq-transport.js';
import { loadRegistry } from './load-registry.js';

const fixtures = fileURLToPath(new URL('../cli/fixtures/', import.meta.url));
const redisUrl = process.env.REDIS_URL!;
const prefix = `{test-${randomUUID().slice(0, 8)}}`;

let transport: BullMqTransport;

beforeAll(async () => {
  const registry = await loadRegistry(
    { COORDINATOR_EXTENSIONS: './shop-extension.ts,./mail-extension.ts' },
    { cwd: fixtures },
  );
  transport = new BullMqTransport(registry, { redisUrl, prefix });
});

afterAll(async () => {
  const keys = await transport.redis.keys(`${prefix}*`);
  if (keys.length) await transport.redis.del(...keys);
  await transport.close();
});

describe('BullMqDispatcher against Redis', () => {
  it('indexes a task and the handler jobs of a signal under their correlation, with the retention as TTL', async () => {
    const correlationId = `order-${randomUUID()}`;
    const charge = await transport.dispatcher.dispatch(shopCharge, { id: 'a' }, { correlationId });
    const handlers = await transport.dispatcher.emitSignal(shopCharged, { id: 'a' }, { key: 'k', correlationId });
    // shop.notify and mail.send handle it: one script call indexes both.
    expect(handlers.map((h) => h.taskId.split('.').slice(0, 2).join('.'))).toEqual(['shop.notify', 'mail.send']);

    const key = correlationKey(prefix, correlationId);
    expect((await transport.redis.zrange(key, '0', '-1')).sort()).toEqual(
      [charge.taskId, ...handlers.map((h) => h.taskId)].sort(),
    );
    const ttl = await transport.redis.ttl(key);
    expect(ttl).toBeGreaterThan(CORRELATION_RETENTION_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(CORRELATION_RETENTION_SECONDS);
    // Both jobs are stored, not only indexed.
    for (const { taskId } of [charge, ...handlers]) {
      expect((await transport.status.get(taskId))?.taskId).toBe(taskId);
    }
  });

  it('lets one of two concurrent dispatches with one key and different payloads win, and refuses the other', async () => {
    const results = await Promise.allSettled([
      transport.dispatcher.dispatch(shopCharge, { id: 'first' }, { idempotencyKey: 'race-1' }),
      transport.dispatcher.dispatch(shopCharge, { id: 'second' }, { idempotencyKey: 'race-1' }),
    ]);
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatchObject({ name: 'IdempotencyConflictError' });
  });

  it('writes the commands of stores started together in one system call, and leaves the socket uncorked', async () => {
    const socket = transport.redis.stream;
    const writes: number[] = [];
    const writev = socket._writev!.bind(socket);
    socket._writev = (chunks, callback) => {
      writes.push(chunks.length);
      writev(chunks, callback);
    };
    try {
      const receipts = await Promise.all(
        ['a', 'b', 'c'].map((id) =>
          transport.dispatcher.dispatch(shopCharge, { id }, { idempotencyKey: `batch-${id}`, correlationId: 'batch' }),
        ),
      );
      expect(new Set(receipts.map((r) => r.taskId)).size).toBe(3);
    } finally {
      delete (socket as { _writev?: unknown })._writev;
    }
    // Three stores of three commands each (index, add, read-back): one write of nine.
    expect(writes).toEqual([9]);
    expect(socket.writableCorked).toBe(0);
  });

  it('answers concurrent dispatches with one key and one payload with one task', async () => {
    const receipts = await Promise.all(
      [1, 2, 3].map(() => transport.dispatcher.dispatch(shopCharge, { id: 'same' }, { idempotencyKey: 'race-2' })),
    );
    expect(new Set(receipts.map((r) => r.taskId)).size).toBe(1);
  });
});
