import { defineExtension, defineTask, RequireScopes, TaskDispatcher, type TaskHandler } from '@coordinator/core';
import { ExtensionRegistry, InlineTransport } from '@coordinator/core/runtime';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { testCaller } from '../auth/fixtures/test-caller.js';
import { createApiHost } from '../create-api-host.js';
import { MAX_BODY_DEPTH, nestedDeeperThan } from './body-depth-limit.js';

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

  @Post()
  @RequireScopes('notes:write')
  @HttpCode(202)
  write(@Body() body: Note) {
    return this.dispatcher.dispatch(writeNote, body);
  }
}

const notes = defineExtension({ name: 'notes', version: '1.0.0', controllers: [NotesController], tasks: [writeNote] });
const caller = testCaller(['notes:write']);
const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nestedDeeperThan', () => {
  it('counts levels of arrays and objects', () => {
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(nestedDeeperThan('text', 0)).toBe(false);
    expect(nestedDeeperThan(null, 0)).toBe(false);
  });

  it('measures a body far deeper than the stack would allow a recursive walk', () => {
    expect(nestedDeeperThan(JSON.parse(arrays(200_000)), MAX_BODY_DEPTH)).toBe(true);
  });
});

describe('body depth limit', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    const registry = new ExtensionRegistry([notes]);
    app = await createApiHost({ registry, transport: new InlineTransport(registry), env: caller.env, logger: false });
  });
  afterAll(() => app.close());

  const post = (payload: string) =>
    app.inject({
      method: 'POST',
      url: '/notes',
      payload,
      headers: { 'content-type': 'application/json', ...caller.headers },
    });

  it('answers 400 naming the limit to a body nested deeper, where validation would overflow the stack', async () => {
    const res = await post(`{"text":${arrays(20_000)}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `request body is nested too deeply: more than ${MAX_BODY_DEPTH} levels of arrays and objects`,
    });
  });

  it('leaves shallower bodies to validation', async () => {
    const res = await post(`{"text":${arrays(MAX_BODY_DEPTH - 1)}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toEqual(['text must be a string']);
    expect((await post('{"text":"hi"}')).statusCode).toBe(202);
  });

  it('authenticates first: a stranger learns nothing about the body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/notes',
      payload: `{"text":${arrays(20_000)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(401);
  });
});
