import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { HEARTBEAT_STALE_MS, WorkerHeartbeats, type WorkerHeartbeat } from './worker-heartbeats.js';

const heartbeat = (id: string, startedAt = '2026-01-01T00:00:00.000Z'): WorkerHeartbeat => ({
  id,
  hostname: 'box',
  pid: 1,
  startedAt,
  heartbeatAt: startedAt,
  queues: ['orders'],
  extensions: [{ name: 'orders', version: '1.0.0' }],
  coreVersion: '1.0.0',
});

describe('WorkerHeartbeats (real Redis)', () => {
  let redis: Redis;
  let heartbeats: WorkerHeartbeats;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!);
    heartbeats = new WorkerHeartbeats(redis, `{test-${randomUUID().slice(0, 8)}}`);
  });
  afterAll(() => redis.quit());

  it('lists recent heartbeats, not stale ones, and forgets removed hosts', async () => {
    const now = Date.now();
    await heartbeats.beat(heartbeat('a', '2026-01-02T00:00:00.000Z'), now);
    await heartbeats.beat(heartbeat('b', '2026-01-01T00:00:00.000Z'), now - 1_000);
    await heartbeats.beat(heartbeat('old'), now - HEARTBEAT_STALE_MS - 1);
    expect((await heartbeats.live(now)).map((h) => h.id)).toEqual(['b', 'a']);
    await heartbeats.remove('a');
    expect((await heartbeats.live(now)).map((h) => h.id)).toEqual(['b']);
  });
});
