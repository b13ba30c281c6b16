import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { Socket } from 'node:net';
import { coalesceWrites } from './coalesce-writes.js';

let redis: Redis;

beforeEach(async () => {
  redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true });
  coalesceWrites(redis);
  await redis.connect();
});

afterEach(() => redis.disconnect());

/** How many chunks each system call of the socket carried (writev: several, write: one). */
function countWrites(socket: Socket): number[] {
  const writes: number[] = [];
  const writev = socket._writev!.bind(socket);
  const write = socket._write.bind(socket);
  socket._writev = (chunks, callback) => {
    writes.push(chunks.length);
    writev(chunks, callback);
  };
  socket._write = (chunk, encoding, callback) => {
    writes.push(1);
    write(chunk, encoding, callback);
  };
  return writes;
}

describe('coalesceWrites against Redis', () => {
  it('sends the commands of one turn in one write, each answered on its own and in order', async () => {
    const writes = countWrites(redis.stream);
    const key = `coalesce-${process.pid}`;
    const answers = await Promise.all([
      redis.set(key, '1'),
      redis.incr(key),
      redis.incrby(key, 5),
      redis.get(key),
      redis.del(key),
    ]);
    expect(answers).toEqual(['OK', 2, 7, '7', 1]);
    expect(writes).toEqual([5]);
    expect(redis.stream.writableCorked).toBe(0);
  });

  it('lets a command sent in a later turn go in a write of its own', async () => {
    const writes = countWrites(redis.stream);
    await redis.ping();
    await redis.ping();
    expect(writes).toEqual([1, 1]);
  });

  it('gathers the writes of the socket it reconnects with too', async () => {
    const first = redis.stream;
    const reconnected = new Promise((resolve) => redis.once('ready', resolve));
    first.destroy();
    await reconnected;
    expect(redis.stream).not.toBe(first);
    const writes = countWrites(redis.stream);
    await Promise.all([redis.ping(), redis.ping(), redis.ping()]);
    expect(writes).toEqual([3]);
  });
});
