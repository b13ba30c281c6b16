import {
  BodyLimit,
  defineExtension,
  defineTask,
  PublicRoute,
  RequireScopes,
  TaskDispatcher,
  type TaskHandler,
} from '@coordinator/core';
import { ExtensionRegistry, InlineTransport, SettingsError } from '@coordinator/core/runtime';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BadRequestException, Body, Controller, Headers, HttpCode, Injectable, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString } from 'class-validator';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createApiHost } from '../create-api-host.js';
import { testCaller } from '../auth/fixtures/test-caller.js';

class Note {
  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  padding?: string;
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

  /** Shaped like the payments webhook: public, signed, and allowed a larger body. */
  @Post('hooks')
  @PublicRoute('signed by the sender')
  @BodyLimit(256 * 1024)
  @HttpCode(200)
  hook(@Headers('x-signature') signature: string | undefined) {
    if (signature !== 'valid') throw new BadRequestException('invalid signature');
    return { received: true };
  }
}

const notes = defineExtension({ name: 'notes', version: '1.0.0', controllers: [NotesController], tasks: [writeNote] });
const caller = testCaller(['notes:write']);
const KiB = 1024;

/** A JSON note of about `bytes` bytes. */
function noteOf(bytes: number): string {
  return JSON.stringify({ text: 'hi', padding: 'x'.repeat(bytes) });
}

describe('request body limits', () => {
  let app: NestFastifyApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(env: NodeJS.ProcessEnv = {}) {
    const registry = new ExtensionRegistry([notes]);
    app = await createApiHost({
      registry,
      transport: new InlineTransport(registry),
      env: { ...caller.env, ...env },
      logger: false,
    });
    return app;
  }

  async function listening(env: NodeJS.ProcessEnv = {}) {
    const host = await start(env);
    await host.listen({ port: 0, host: '127.0.0.1' });
    const address = host.getHttpServer().address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  function post(host: NestFastifyApplication, url: string, payload: string, headers: Record<string, string> = {}) {
    return host.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...caller.headers, ...headers },
    });
  }

  it('answers 413 from the Content-Length alone, without waiting for the body', async () => {
    const port = await listening();
    const req = httpRequest({
      port,
      method: 'POST',
      path: '/notes',
      headers: { ...caller.headers, 'content-type': 'application/json', 'content-length': String(10 * 1024 * KiB) },
    });
    // Headers only: not one byte of the 10 MiB is ever sent.
    req.flushHeaders();
    const res = await response(req);
    req.destroy();
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: "request body is larger than this route's limit of 65536 bytes",
    });
  });

  it('stops reading a chunked body without Content-Length once it passes the limit', async () => {
    const port = await listening();
    const req = httpRequest({
      port,
      method: 'POST',
      path: '/notes',
      headers: { ...caller.headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    const answered = response(req);
    // 80 KiB sent and the request left open: the answer must come without the rest.
    for (let i = 0; i < 5; i++) req.write('x'.repeat(16 * KiB));
    const res = await answered;
    req.destroy();
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('lets a route declare a larger limit with @BodyLimit, and only that route', async () => {
    const host = await start();
    const body = noteOf(100 * KiB);

    // Within the hook's 256 KiB: read, then refused for its signature, not its size.
    const hook = await post(host, '/notes/hooks', body);
    expect(hook.statusCode).toBe(400);
    expect(hook.json()).toMatchObject({ message: 'invalid signature' });
    expect((await post(host, '/notes/hooks', body, { 'x-signature': 'valid' })).statusCode).toBe(200);

    const order = await post(host, '/notes', body);
    expect(order.statusCode).toBe(413);
    expect(order.json()).toMatchObject({ error: 'Payload Too Large', message: expect.stringContaining('65536 bytes') });

    const huge = await post(host, '/notes/hooks', noteOf(300 * KiB));
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ message: expect.stringContaining(`${256 * KiB} bytes`) });
  });

  it('takes the default limit from BODY_LIMIT_BYTES', async () => {
    const host = await start({ BODY_LIMIT_BYTES: String(KiB) });
    expect((await post(host, '/notes', noteOf(KiB / 2))).statusCode).toBe(202);
    const large = await post(host, '/notes', noteOf(2 * KiB));
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ message: expect.stringContaining('1024 bytes') });
    // A route's own limit is not lowered by the default.
    expect((await post(host, '/notes/hooks', noteOf(100 * KiB), { 'x-signature': 'valid' })).statusCode).toBe(200);
  });

  it('refuses a BODY_LIMIT_BYTES that is not a positive whole number', async () => {
    await expect(start({ BODY_LIMIT_BYTES: '0' })).rejects.toThrow(SettingsError);
    await expect(start({ BODY_LIMIT_BYTES: '64k' })).rejects.toThrow(/BODY_LIMIT_BYTES/);
  });

  it('answers 415 to a content type nothing parses', async () => {
    const host = await start();
    const res = await post(host, '/notes', '<note/>', { 'content-type': 'application/xml' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
  });
});

/** The status, headers and body of the response to `req`. */
function response(
  req: ReturnType<typeof httpRequest>,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
  });
}
