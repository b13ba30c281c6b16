import { QueueFullError, QueueUnavailableError } from '@coordinator/core';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { CoordinatorExceptionFilter } from './coordinator-exception.filter.js';

/** What the filter sent: status, headers and body. */
function answer(error: unknown, request: object = {}) {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  new CoordinatorExceptionFilter().catch(error, host);
  return sent;
}

/** An error as Fastify raises it: a code and a statusCode. */
function fastifyError(statusCode: number, code: string, message: string) {
  return Object.assign(new Error(message), { statusCode, code });
}

describe('CoordinatorExceptionFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('answers a full queue 503 with Retry-After, naming the queue but not its backlog', () => {
    const sent = answer(new QueueFullError('payments', 5000, 5000));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('5');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the "payments" queue is full; retry later',
    });
  });

  it('still answers an unavailable queue 503 with Retry-After: 1', () => {
    const sent = answer(new QueueUnavailableError('the queue is unavailable: connection refused'));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('1');
    expect(sent.body).toMatchObject({
      error: 'Service Unavailable',
      message: 'the task queue is unavailable; retry later',
    });
  });

  it("gives Fastify's refusals their own reason phrase", () => {
    expect(answer(fastifyError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Unsupported Media Type')).body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Unsupported Media Type',
    });
    expect(answer(fastifyError(429, 'X', 'rate limit exceeded: 5 requests per 60 s')).body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'rate limit exceeded: 5 requests per 60 s',
    });
    expect(answer(fastifyError(400, 'FST_ERR_CTP_EMPTY_JSON_BODY', 'Body cannot be empty')).body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
    });
  });

  it('says which limit a too-large body broke, as Nest hands it over', () => {
    // Nest wraps Fastify's 4xx errors in an HttpException with the original as cause.
    const tooLarge = fastifyError(413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large');
    const sent = answer(new HttpException(tooLarge.message, 413, { cause: tooLarge }), {
      routeOptions: { bodyLimit: 65536 },
    });
    expect(sent.status).toBe(413);
    expect(sent.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: "request body is larger than this route's limit of 65536 bytes",
    });
  });

  it('adds the reason phrase to HttpExceptions with a plain message, and leaves object bodies alone', () => {
    expect(answer(new HttpException('Unsupported Media Type: application/xml', 415)).body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Unsupported Media Type: application/xml',
    });
    const body = { statusCode: 409, error: 'Conflict', message: 'already cancelled', orderId: 'o-1' };
    expect(answer(new HttpException(body, 409)).body).toBe(body);
  });

  it('answers anything unexpected 500 without internals', () => {
    const sent = answer(new Error('secret detail'));
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({ statusCode: 500, error: 'Internal Server Error' });
  });
});
