// Reading and preparing queues straight from Redis (BullMQ's key layout under the coordinator's
// prefix), from the benchmark's own connection: counts, completion times, pre-filling.
import { BullMqTransport, ExtensionRegistry } from '@coordinator/core/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import benchExtension, { noopTask } from '../extension/bench-extension.mjs';

export const PREFIX = '{coordinator}';
const key = (queue, part) => `${PREFIX}:${queue}:${part}`;

/** Jobs completed and failed so far. */
export async function finishedCounts(redis, queue) {
  const [completed, failed] = await Promise.all([
    redis.zcard(key(queue, 'completed')),
    redis.zcard(key(queue, 'failed')),
  ]);
  return { completed, failed };
}

/** Polls until `expected` jobs have finished (completed or failed) or `timeoutMs` passes. */
export async function waitForFinished(redis, queue, expected, { timeoutMs, intervalMs = 100, onFailed }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await finishedCounts(redis, queue);
    if (counts.failed > 0 && onFailed) await onFailed(counts);
    if (counts.completed + counts.failed >= expected) return counts;
    if (Date.now() > deadline) {
      throw new Error(
        `queue ${queue}: ${counts.completed} completed, ${counts.failed} failed of ${expected} after ${timeoutMs} ms`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Epoch ms of the first and the last completion (the completed set is scored by finishedOn). */
export async function completionSpan(redis, queue) {
  const [first] = await redis.zrange(key(queue, 'completed'), 0, 0, 'WITHSCORES').then((r) => [Number(r[1])]);
  const [last] = await redis.zrange(key(queue, 'completed'), -1, -1, 'WITHSCORES').then((r) => [Number(r[1])]);
  return { first, last };
}

/** For each task id: when its handler said it started, and when BullMQ finished it (epoch ms). */
export async function jobTimes(redis, queue, taskIds, batch = 1_000) {
  const times = new Map();
  for (let i = 0; i < taskIds.length; i += batch) {
    const pipeline = redis.pipeline();
    const ids = taskIds.slice(i, i + batch);
    for (const id of ids) pipeline.hmget(key(queue, id), 'returnvalue', 'finishedOn');
    const replies = await pipeline.exec();
    replies.forEach(([error, [returnvalue, finishedOn] = []], j) => {
      if (error || !returnvalue) return;
      const value = JSON.parse(returnvalue);
      times.set(ids[j], { startedAt: value?.result?.startedAt ?? value?.startedAt, finishedAt: Number(finishedOn) });
    });
  }
  return times;
}

/**
 * Fills the bench queue with `count` real `bench.noop` jobs through the coordinator's own
 * dispatcher (validation, envelope, ids as in production), while the queue is paused so that
 * no worker starts before the measurement does. Resolves to `{ resume(), close() }`.
 */
export async function prefillPaused(redisUrl, count, { inFlight = 200 } = {}) {
  const transport = new BullMqTransport(new ExtensionRegistry([benchExtension]), { redisUrl, prefix: PREFIX });
  const queue = transport.queue('bench');
  try {
    await queue.waitUntilReady();
    await queue.pause();
    let next = 0;
    const sender = async () => {
      while (next < count) {
        const i = next++;
        await transport.dispatcher.dispatch(noopTask, { ref: `r-${i}` });
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, sender));
  } catch (error) {
    await transport.close();
    throw error;
  }
  return { resume: () => queue.resume(), close: () => transport.close() };
}
