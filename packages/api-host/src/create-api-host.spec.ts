import { defineExtension, defineTask, RequireScopes, TaskDispatcher, type TaskHandler } from '@coordinator/core';
import { ExtensionRegistry, InlineTransport } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { createApiHost } from './create-api-host.js';
import { testCaller } from './auth/fixtures/test-caller.js';

const created: string[] = [];

class Note {
  @IsString()
  text!: string;
}

@Injectable()
class NoteHandler implements TaskHandler<Note> {
  constructor() {
    created.push('NoteHandler');
  }
  async run() {
    return null;
  }
}

@Injectable()
class DownstreamClient {
  constructor() {
    created.push('DownstreamClient');
  }
}

const writeNote = defineTask({ name: 'notes.write', payload: Note, handler: NoteHandler });

const caller = testCaller();

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
  workerProviders: [DownstreamClient],
  tasks: [writeNote],
});

describe('createApiHost', () => {
  it('mounts extension controllers but never creates worker-only providers or task handlers', async () => {
    const registry = new ExtensionRegistry([notes]);
    const app = await createApiHost({
      registry,
      transport: new InlineTransport(registry),
      env: caller.env,
      logger: false,
    });
    try {
      const res = await app.inject({ headers: caller.headers, method: 'POST', url: '/notes', payload: { text: 'hi' } });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ taskId: expect.stringMatching(/^notes\.write\./) });
      expect(created).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
