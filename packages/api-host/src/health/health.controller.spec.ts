import { defineExtension, defineTask, type TaskHandler } from '@coordinator/core';
import {
  BullMqTransport,
  ExtensionRegistry,
  InlineTransport,
  WorkerHeartbeats,
  type WorkerHeartbeat,
} from '@coordinator/core/runtime';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { createApiHost } from '../create-api-host.js';
import { testCaller } from '../auth/fixtures/test-caller.js';

class Note {
  @IsString()
  text!: string;
}

@Injectable()
class NoteHandler implements TaskHandler<Note> {
  async run() {
    return null;
  }
}

const writeNote = defineTask({ name: 'notes.write', payload: Note, handler: NoteHandler });
const archiveNote = defineTask({ name: 'archive.store', payload: Note, handler: NoteHandler });
const notes = defineExtension({ name: 'notes', version: '1.0.0', tasks: [writeNote] });
const archive = defineExtension({ name: 'archive', version: '2.0.0', tasks: [archiveNote] });

class RedisDownTransport extends InlineTransport {
  override async ping(): Promise<void> {
    throw new Error('Redis did not answer PING within 1000 ms');
  }
}

describe('health routes', () => {
  it('answers liveness and readiness with terminus results', async () => {
    const registry = new ExtensionRegistry([notes]);
    const app = await createApiHost({
      registry,
      transport: new InlineTransport(registry),
      env: testCaller().env,
      logger: false,
    });
    try {
      const live = await app.inject({ method: 'GET', url: '/health/live' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toMatchObject({ status: 'ok' });
      expect(live.headers['cache-control']).toContain('no-store');
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });

  it('is not ready while Redis does not answer, and says why', async () => {
    const registry = new ExtensionRegistry([notes]);
    const app = await createApiHost({
      registry,
      transport: new RedisDownTransport(registry),
      env: testCaller().env,
      logger: false,
    });
    try {
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down', message: expect.stringContaining('PING') } },
      });
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('has no worker heartbeats to report with the inline transport', async () => {
    const registry = new ExtensionRegistry([notes]);
    const app = await createApiHost({
      registry,
      transport: new InlineTransport(registry),
      env: testCaller().env,
      logger: false,
    });
    try {
      const workers = await app.inject({ method: 'GET', url: '/health/workers' });
      expect(workers.statusCode).toBe(200);
      expect(workers.json()).toMatchObject({ status: 'unknown', reason: expect.stringContaining('inline') });
    } finally {
      await app.close();
    }
  });
});

describe('GET /health/workers (real Redis)', () => {
  const prefix = `{health-${randomUUID().slice(0, 8)}}`;
  let transport: BullMqTransport;
  let app: NestFastifyApplication;
  let heartbeats: WorkerHeartbeats;

  const heartbeat = (id: string, queues: string[], heartbeatAt: number): WorkerHeartbeat => ({
    id,
    hostname: 'box',
    pid: 42,
    startedAt: '2026-01-01T00:00:00.000Z',
    heartbeatAt: new Date(heartbeatAt).toISOString(),
    queues,
    extensions: [{ name: 'notes', version: '1.0.0' }],
    coreVersion: '0.1.0',
  });

  beforeAll(async () => {
    const registry = new ExtensionRegistry([notes, archive]);
    transport = new BullMqTransport(registry, { redisUrl: process.env.REDIS_URL!, prefix });
    app = await createApiHost({ registry, transport, env: testCaller().env, logger: false });
    // The producer connection fails fast: wait until it is up before writing through it.
    for (let tries = 0; ; tries += 1) {
      try {
        await transport.ping();
        break;
      } catch (error) {
        if (tries > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    heartbeats = new WorkerHeartbeats(transport.redis, prefix);
  });
  afterAll(async () => {
    await app?.close();
    await transport?.close();
  });

  it('lists the live hosts per configured queue and names the queues nobody serves, with 200', async () => {
    const now = Date.now();
    await heartbeats.beat(heartbeat('w-1', ['notes'], now - 2_000), now);
    const response = await app.inject({ method: 'GET', url: '/health/workers' });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({
      status: 'degraded',
      unserved: ['archive'],
      queues: [
        {
          queue: 'notes',
          workers: [
            {
              id: 'w-1',
              hostname: 'box',
              pid: 42,
              coreVersion: '0.1.0',
              extensions: [{ name: 'notes', version: '1.0.0' }],
            },
          ],
        },
        { queue: 'archive', workers: [] },
      ],
    });
    expect(report.queues[0].workers[0].heartbeatAgeSeconds).toBeGreaterThanOrEqual(2);

    await heartbeats.beat(heartbeat('w-2', ['archive', 'notes'], Date.now()));
    const served = (await app.inject({ method: 'GET', url: '/health/workers' })).json();
    expect(served).toMatchObject({ status: 'ok', unserved: [] });
    expect(served.queues.map((q: { workers: { id: string }[] }) => q.workers.map((w) => w.id))).toEqual([
      ['w-1', 'w-2'],
      ['w-2'],
    ]);

    await heartbeats.remove('w-1');
    await heartbeats.remove('w-2');
    expect((await app.inject({ method: 'GET', url: '/health/workers' })).json()).toMatchObject({
      status: 'degraded',
      unserved: ['notes', 'archive'],
    });
  });
});
