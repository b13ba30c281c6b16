import {
  defineExtension,
  defineSignal,
  defineTask,
  onSignal,
  RequireScopes,
  TaskDispatcher,
  type TaskHandler,
} from '@coordinator/core';
import {
  BullMqTransport,
  ExtensionRegistry,
  InlineTransport,
  SettingsError,
  type TaskTransport,
} from '@coordinator/core/runtime';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { testCaller } from '../auth/fixtures/test-caller.js';
import { createApiHost } from '../create-api-host.js';

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
const noteWritten = defineSignal({ name: 'notes.written', payload: Note });
const fileMemo = defineTask({ name: 'memos.file', payload: Note, handler: NoteHandler });

@Controller('notes')
@RequireScopes('notes:write')
class NotesController {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  @Post()
  @HttpCode(202)
  write(@Body() body: Note) {
    return this.dispatcher.dispatch(writeNote, body);
  }

  @Post('events')
  @HttpCode(202)
  announce(@Body() body: Note) {
    return this.dispatcher.emit(noteWritten, body);
  }
}

const notes = defineExtension({
  name: 'notes',
  version: '1.0.0',
  controllers: [NotesController],
  tasks: [writeNote],
  signals: [noteWritten],
});
// Its handler jobs go to the "memos" queue.
const memos = defineExtension({
  name: 'memos',
  version: '1.0.0',
  tasks: [fileMemo],
  handlers: [onSignal(noteWritten, fileMemo)],
});
const registry = new ExtensionRegistry([notes, memos]);
const caller = testCaller(['notes:write']);

/** Longer than the waiting counts are reused, so the next dispatch reads Redis again. */
const COUNT_MAX_AGE_MS = 300;

describe('bounded queues (QUEUE_MAX_WAITING)', () => {
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

  function newPrefix(): string {
    const prefix = `{bounded-${randomUUID().slice(0, 8)}}`;
    prefixes.push(prefix);
    return prefix;
  }

  /** An API host on BullMQ with no worker: whatever it dispatches stays waiting. */
  async function start(env: NodeJS.ProcessEnv, prefix = newPrefix(), transport?: TaskTransport) {
    transport ??= new BullMqTransport(registry, { redisUrl, prefix });
    const app = await createApiHost({ registry, transport, env: { ...caller.env, ...env }, logger: false });
    opened.push({ app, transport });
    return { app, transport };
  }

  const write = (app: NestFastifyApplication, url = '/notes') =>
    app.inject({ method: 'POST', url, headers: caller.headers, payload: { text: 'hi' } });

  it('answers 503 with Retry-After once a queue holds its cap, and 202 again once it drained', async () => {
    const { app, transport } = await start({ QUEUE_MAX_WAITING: '3' });
    const queue = (transport as BullMqTransport).queue('notes');

    for (let i = 0; i < 3; i++) expect((await write(app)).statusCode).toBe(202);
    const full = await write(app);
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBe('5');
    expect(full.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the "notes" queue is full; retry later',
    });
    // Refused means not stored.
    expect(await queue.getWaitingCount()).toBe(3);

    await queue.drain();
    await sleep(COUNT_MAX_AGE_MS);
    expect((await write(app)).statusCode).toBe(202);
  });

  it('counts what other replicas added', async () => {
    const prefix = newPrefix();
    const env = { QUEUE_MAX_WAITING: '3' };
    const one = await start(env, prefix);
    const two = await start(env, prefix);
    for (let i = 0; i < 3; i++) expect((await write(one.app)).statusCode).toBe(202);
    expect((await write(two.app)).statusCode).toBe(503);
  });

  it('checks the queues of every handler a signal enqueues to, with per-queue overrides', async () => {
    const { app } = await start({ QUEUE_MAX_WAITING: '0', QUEUE_MAX_WAITING_OVERRIDES: '{"memos":1}' });
    expect((await write(app, '/notes/events')).statusCode).toBe(202);
    const full = await write(app, '/notes/events');
    expect(full.statusCode).toBe(503);
    expect(full.json()).toMatchObject({ message: 'the "memos" queue is full; retry later' });
    // "notes" is unbounded (QUEUE_MAX_WAITING=0).
    for (let i = 0; i < 3; i++) expect((await write(app)).statusCode).toBe(202);
  });

  it('leaves the dispatcher alone when nothing is bounded or the transport is inline', async () => {
    const unbounded = await start({ QUEUE_MAX_WAITING: '0' });
    expect(unbounded.app.get(TaskDispatcher)).toBe(unbounded.transport.dispatcher);
    const inline = await start({ QUEUE_MAX_WAITING: '1' }, undefined, new InlineTransport(registry));
    expect(inline.app.get(TaskDispatcher)).toBe(inline.transport.dispatcher);
  });

  it('refuses to start with overrides for queues no extension has', async () => {
    const transport = new InlineTransport(registry);
    const error = await createApiHost({
      registry,
      transport,
      env: { ...caller.env, QUEUE_MAX_WAITING_OVERRIDES: '{"paymnts":5000}' },
      logger: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toEqual([
      'QUEUE_MAX_WAITING_OVERRIDES names queue "paymnts", which no loaded extension has (queues: notes, memos)',
    ]);
  });
});
