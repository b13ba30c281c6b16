import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Polls until every queue has no waiting, prioritized, delayed or active job on two
 * consecutive reads (a finishing job may enqueue a signal's handlers in between).
 */
export async function waitForQueuesIdle(queues: readonly Queue[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietReads = 0;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      queues.map((q) => q.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'waiting-children')),
    );
    const busy = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    last = Object.fromEntries(queues.map((q, i) => [q.name, counts[i]]));
    quietReads = busy === 0 ? quietReads + 1 : 0;
    if (quietReads >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`queues still busy after ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/** Deletes a test coordinator's keys from a Redis shared by several test files. */
export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
