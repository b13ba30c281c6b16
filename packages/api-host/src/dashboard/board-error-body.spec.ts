import { describe, expect, it } from '@jest/globals';
import { boardErrorBody } from './board-error-body.js';

describe('boardErrorBody', () => {
  it('adds a readable message and the status to bull-board’s translation-key errors, keeping its fields', () => {
    expect(boardErrorBody(404, { error: { key: 'ERRORS.QUEUE_NOT_FOUND' } })).toEqual({
      error: { key: 'ERRORS.QUEUE_NOT_FOUND' },
      statusCode: 404,
      message: 'queue not found',
    });
    expect(
      boardErrorBody(400, { error: { key: 'ERRORS.INVALID_GRANULARITY', options: { granularity: 'x' } } }),
    ).toMatchObject({
      message: 'invalid granularity {"granularity":"x"}',
    });
  });

  it('keeps a message bull-board wrote, and leaves successes alone', () => {
    const thrown = { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'Body is not valid JSON' };
    expect(boardErrorBody(400, thrown)).toEqual({ ...thrown, statusCode: 400 });
    expect(boardErrorBody(200, { queues: [] })).toEqual({ queues: [] });
  });

  it('names the status when the body says nothing', () => {
    expect(boardErrorBody(403, undefined)).toEqual({ statusCode: 403, message: 'Forbidden' });
  });
});
