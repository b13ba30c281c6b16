import {
  defineExtension,
  defineTask,
  PublicRoute,
  RequireScopes,
  TaskDispatcher,
  type TaskHandler,
} from '@coordinator/core';
import {
  BullMqTransport,
  ExtensionRegistry,
  generateApiKey,
  InlineTransport,
  type TaskTransport,
} from '@coordinator/core/runtime';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, HttpCode, Injectable, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { createApiHost } from '../create-api-host.js';
import { ApiMetrics } from '../metrics/api-metrics.js';

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

@Controller('notes')
class NotesController {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  @Get()
  @RequireScopes('notes:read')
  list() {
    return [];
  }

  @Post()
  @RequireScopes('notes:write')
  @HttpCode(202)
  write(@Body() body: Note) {
    return this.dispatcher.dispatch(writeNote, body);
  }

  @Post('hooks')
  @PublicRoute('signed by the sender')
  @HttpCode(200)
  hook() {
    return { received: true };
  }
}

const notes = defineExtension({ name: 'notes', version: '1.0.0', controllers: [NotesController], tasks: [writeNote] });
const registry = new ExtensionRegistry([notes]);

/** Two callers, each with its own key; the env configures both. */
const alice = generateApiKey('alice', ['notes:read', 'notes:write']);
const bob = generateApiKey('bob', ['notes:read', 'notes:write']);
const callerEnv = { COORDINATOR_API_KEYS: JSON.stringify([alice.entry, bob.entry]) };
const as = (key: { key: string }) => ({ authorization: `Bearer ${key.key}` });

describe('rate limiting per principal', () => {
  const redisUrl = process.env.REDIS_URL!;
  const opened: { app: NestFastifyApplication; transport: TaskTransport }[] = [];
  const prefixes: string[] = [];

  afterEach(async () => {
    for (const { app, transport } of opened.splice(0)) {
      await app.close();
      await transport.close();
    }
  });

  afterAll(async () => {
    const redis = new Redis(redisUrl);
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  });

  /** A fresh key prefix, as a deployment's COORDINATOR_PREFIX. */
  function newPrefix(): string {
    const prefix = `{rate-${randomUUID().slice(0, 8)}}`;
    prefixes.push(prefix);
    return prefix;
  }

  async function start(
    options: { env?: NodeJS.ProcessEnv; prefix?: string; transport?: TaskTransport; metrics?: boolean } = {},
  ) {
    const transport =
      options.transport ?? new BullMqTransport(registry, { redisUrl, prefix: options.prefix ?? newPrefix() });
    const app = await createApiHost({
      registry,
      transport,
      env: { ...callerEnv, ...options.env },
      logger: false,
      metrics: options.metrics ? new ApiMetrics(registry, new Registry()) : undefined,
    });
    opened.push({ app, transport });
    return app;
  }

  const get = (app: NestFastifyApplication, url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  it('shares one budget per caller across API host replicas sharing Redis', async () => {
    const prefix = newPrefix();
    const env = { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' };
    const [one, two] = [await start({ env, prefix }), await start({ env, prefix })];

    const statuses: number[] = [];
    for (const app of [one, two, one, two, one]) statuses.push((await get(app, '/notes', as(alice))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const refused = await get(two, '/notes', as(alice));
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['x-ratelimit-limit']).toBe('5');
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^rate limit exceeded: 5 requests per 60 s; retry in \d+ s$/),
    });
    // Writes spend the same budget.
    expect(
      (await one.inject({ method: 'POST', url: '/notes', headers: as(alice), payload: { text: 'hi' } })).statusCode,
    ).toBe(429);

    // Another caller has a budget of its own.
    expect((await get(one, '/notes', as(bob))).statusCode).toBe(200);
  });

  it('keeps replicas with different prefixes apart', async () => {
    const env = { RATE_LIMIT_MAX: '1' };
    const [one, two] = [await start({ env }), await start({ env })];
    expect((await get(one, '/notes', as(alice))).statusCode).toBe(200);
    expect((await get(two, '/notes', as(alice))).statusCode).toBe(200);
    expect((await get(one, '/notes', as(alice))).statusCode).toBe(429);
  });

  it('counts anonymous callers of public routes by IP', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: '2' } });
    const hook = (ip: string) => app.inject({ method: 'POST', url: '/notes/hooks', remoteAddress: ip, payload: {} });
    expect((await hook('10.0.0.1')).statusCode).toBe(200);
    expect((await hook('10.0.0.1')).statusCode).toBe(200);
    expect((await hook('10.0.0.1')).statusCode).toBe(429);
    expect((await hook('10.0.0.2')).statusCode).toBe(200);
  });

  it('never limits health checks or /metrics', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: '1' }, metrics: true });
    for (let i = 0; i < 5; i++) {
      expect((await get(app, '/health/live')).statusCode).toBe(200);
      expect((await get(app, '/metrics')).statusCode).toBe(200);
    }
    expect((await get(app, '/health/live')).headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('lets requests through when Redis is down, so the queue answers 503 rather than the limiter 500', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const transport = new BullMqTransport(registry, { redisUrl: 'redis://127.0.0.1:1', prefix: newPrefix() });
    const app = await start({ env: { RATE_LIMIT_MAX: '1' }, transport });
    for (let i = 0; i < 3; i++) expect((await get(app, '/notes', as(alice))).statusCode).toBe(200);
    const write = await app.inject({ method: 'POST', url: '/notes', headers: as(alice), payload: { text: 'hi' } });
    expect(write.statusCode).toBe(503);
    expect(write.headers['retry-after']).toBe('1');
  });

  it('counts in memory with the inline transport', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: '2' }, transport: new InlineTransport(registry) });
    expect((await get(app, '/notes', as(alice))).statusCode).toBe(200);
    expect((await get(app, '/notes', as(alice))).statusCode).toBe(200);
    expect((await get(app, '/notes', as(alice))).statusCode).toBe(429);
  });

  it('is off with RATE_LIMIT_MAX=0', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: '0' } });
    for (let i = 0; i < 3; i++) {
      const res = await get(app, '/notes', as(alice));
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('refuses a window shorter than a second', async () => {
    await expect(
      start({ env: { RATE_LIMIT_WINDOW_MS: '10' }, transport: new InlineTransport(registry) }),
    ).rejects.toThrow(/RATE_LIMIT_WINDOW_MS/);
  });
});
