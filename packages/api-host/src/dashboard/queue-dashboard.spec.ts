import { defineExtension, defineTask, RequireScopes, TaskDispatcher, type TaskHandler } from '@coordinator/core';
import { BullMqTransport, ExtensionRegistry, InlineTransport, SettingsError } from '@coordinator/core/runtime';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
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
const writeMemo = defineTask({ name: 'memos.write', payload: Note, handler: NoteHandler });

const caller = testCaller(['admin']);

@Controller('notes')
@RequireScopes('notes:write')
class NotesController {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  @Post()
  @HttpCode(202)
  write(@Body() body: Note) {
    return this.dispatcher.dispatch(writeNote, body);
  }
}

const notes = defineExtension({
  name: 'notes',
  version: '1.0.0',
  controllers: [NotesController],
  tasks: [writeNote],
});

const memos = defineExtension({ name: 'memos', version: '1.0.0', tasks: [writeMemo] });

describe('queue dashboard at /admin/queues', () => {
  const registry = new ExtensionRegistry([notes, memos]);
  let app: NestFastifyApplication | undefined;
  let transport: BullMqTransport | undefined;

  afterEach(async () => {
    await app?.close();
    await transport?.close();
    app = transport = undefined;
  });

  async function start(env: NodeJS.ProcessEnv = {}) {
    transport = new BullMqTransport(registry, { redisUrl: process.env.REDIS_URL!, prefix: `{dash-${randomUUID()}}` });
    app = await createApiHost({ registry, transport, env: { ...caller.env, ...env }, logger: false });
    return app;
  }

  it('shows every queue of the loaded extensions, read-only by default', async () => {
    const host = await start();
    const page = await host.inject({ headers: caller.headers, method: 'GET', url: '/admin/queues' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);

    const api = await host.inject({ headers: caller.headers, method: 'GET', url: '/admin/queues/api/queues' });
    expect(api.statusCode).toBe(200);
    const { queues } = api.json<{ queues: { name: string; readOnlyMode: boolean }[] }>();
    expect(queues.map((q) => q.name).sort()).toEqual(['memos', 'notes']);
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);

    // Refused by the server, not only hidden in the UI.
    const empty = await host.inject({
      headers: caller.headers,
      method: 'PUT',
      url: '/admin/queues/api/queues/notes/empty',
    });
    expect(empty.statusCode).toBe(405);
  });

  it("serves the UI's own files and nothing else", async () => {
    const host = await start();
    const page = (await host.inject({ headers: caller.headers, method: 'GET', url: '/admin/queues' })).body;
    const css = /href="(static\/css\/[^"]+\.css)"/.exec(page)?.[1];
    expect(css).toBeDefined();
    const asset = await host.inject({ headers: caller.headers, method: 'GET', url: `/admin/queues/${css}` });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/css/);
    for (const url of ['/admin/queues/static/%2e%2e%2fpackage.json', '/admin/queues/static/..%2f..%2fpackage.json']) {
      expect((await host.inject({ headers: caller.headers, method: 'GET', url })).statusCode).toBe(404);
    }
  });

  it('allows actions with DASHBOARD_READ_ONLY=false', async () => {
    const host = await start({ DASHBOARD_READ_ONLY: 'false' });
    const api = await host.inject({ headers: caller.headers, method: 'GET', url: '/admin/queues/api/queues' });
    expect(api.json<{ queues: { readOnlyMode: boolean }[] }>().queues.every((q) => !q.readOnlyMode)).toBe(true);
    expect(
      (await host.inject({ headers: caller.headers, method: 'PUT', url: '/admin/queues/api/queues/notes/empty' }))
        .statusCode,
    ).toBe(200);
  });

  it('is not mounted with DASHBOARD_ENABLED=false', async () => {
    const host = await start({ DASHBOARD_ENABLED: 'false' });
    expect((await host.inject({ headers: caller.headers, method: 'GET', url: '/admin/queues' })).statusCode).toBe(404);
  });

  it('is not mounted on the inline transport, which has no queues', async () => {
    app = await createApiHost({ registry, transport: new InlineTransport(registry), env: caller.env, logger: false });
    expect((await app.inject({ headers: caller.headers, method: 'GET', url: '/admin/queues' })).statusCode).toBe(404);
  });

  it('refuses a flag that is not true or false, naming the variable', async () => {
    const error = await start({ DASHBOARD_READ_ONLY: 'maybe' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toMatch(/DASHBOARD_READ_ONLY/);
  });
});
