/*
 * The failure class behind "workers that stop consuming until restarted": the worker's
 * Redis connections stay open but go silent (a failover, a path that drops packets).
 * Without the watchdog the worker waits forever; with it, it resumes on its own.
 */
import { defineExtension, defineTask, type TaskHandler } from '@coordinator/core';
import { BullMqTransport, ExtensionRegistry } from '@coordinator/core/runtime';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { createWorkerHost } from '../create-worker-host.js';
import { SilentProxy } from './fixtures/silent-proxy.js';

class NotePayload {
  @IsString()
  text!: string;
}

@Injectable()
class NoteHandler implements TaskHandler<NotePayload, string> {
  async run(payload: NotePayload) {
    return payload.text;
  }
}

const note = defineTask({ name: 'notes.write', payload: NotePayload, handler: NoteHandler });
const registry = new ExtensionRegistry([defineExtension({ name: 'notes', version: '1.0.0', tasks: [note] })]);
const redisUrl = process.env.REDIS_URL!;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

async function startSilencedWorker(watchdog: { intervalMs: number; timeoutMs: number }) {
  const prefix = `{test-${randomUUID().slice(0, 8)}}`;
  const proxy = await SilentProxy.start(redisUrl);
  stops.push(() => proxy.close());
  // The producer reaches Redis directly: only the worker's path goes silent.
  const producer = new BullMqTransport(registry, { redisUrl, prefix });
  stops.push(() => producer.close());
  const workerTransport = new BullMqTransport(registry, { redisUrl, prefix });
  stops.push(() => workerTransport.close());
  const host = await createWorkerHost({
    registry,
    transport: workerTransport,
    consumers: { redisUrl: proxy.url, prefix, queues: ['notes'], concurrency: () => 2, watchdog },
    graceMs: 500,
    logger: false,
  });
  stops.push(() => host.close());

  const completed = () => producer.queue('notes').getCompletedCount();
  await producer.dispatcher.dispatch(note, { text: 'before' });
  await until(async () => (await completed()) === 1, 10_000);
  expect(proxy.silence()).toBeGreaterThanOrEqual(2);
  await producer.dispatcher.dispatch(note, { text: 'after' });
  return { completed, proxy };
}

describe('ConnectionWatchdog (Redis, through a proxy that goes silent)', () => {
  it('resets silent worker connections, and the worker consumes again without a restart', async () => {
    const { completed, proxy } = await startSilencedWorker({ intervalMs: 500, timeoutMs: 1_000 });
    const waited = await until(async () => (await completed()) === 2, 15_000);
    expect(waited).toBeGreaterThan(0);
    // The worker came back through new connections, not the silenced ones.
    expect(proxy.liveConnections).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('is what makes the difference: with checks far apart, the worker stays stuck', async () => {
    const { completed } = await startSilencedWorker({ intervalMs: 60_000, timeoutMs: 1_000 });
    // BullMQ's own blocking-read watchdog fires within its block timeout (≤ 10 s) and still
    // waits on the silent command connection.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(await completed()).toBe(1);
  }, 30_000);
});
