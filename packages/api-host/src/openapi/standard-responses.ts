import type { OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

/** Component name of the error body every non-2xx answer of the API host has. */
export const ERROR_SCHEMA = 'ErrorResponse';

/** `{ statusCode, error?, message }`, as `CoordinatorExceptionFilter` and Nest answer. */
export const errorSchema: SchemaObject = {
  type: 'object',
  required: ['statusCode'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: {
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: 'what went wrong; for validation errors, one entry per field',
    },
  },
};

const error = (description: string, extra: Partial<ResponseObject> = {}): ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
  ...extra,
});

/**
 * The answers every extension route can give besides its own success, whatever the
 * extension: the API host's validation, authentication, limits, lookups, idempotency
 * and queue. Added to the document after scanning, so extensions need no decorators.
 */
export const standardResponses: Record<string, ResponseObject> = {
  '400': error(
    'Bad request: the body, a path parameter or a required header (`Idempotency-Key`) is invalid; `message` names each field.',
  ),
  '401': error('Unauthorized: no credentials, or an API key or token that is unknown, malformed or expired.'),
  '403': error('Forbidden: the credentials are valid but lack a scope the route needs; `message` names it.'),
  '404': error(
    'Not found: the path names an order, payment or task the coordinator does not know, or that another caller owns.',
  ),
  '409': error('Conflict: the request contradicts the current state of what it names.'),
  '422': error(
    'Unprocessable: this `Idempotency-Key` was already used with a different body; the first request stands.',
  ),
  '413': error("Payload too large: the body exceeds the route's limit (64 KiB unless configured); it was not read."),
  '429': error('Too many requests from this caller: retry after `Retry-After` seconds.', {
    headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } },
  }),
  '503': error('The task queue (Redis) is unavailable: nothing was stored. Retry after `Retry-After` seconds.', {
    headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } },
  }),
};

/** The description of a route that answers `202`: the task is stored, not yet run. */
export const acceptedResponse: ResponseObject = {
  description:
    'Accepted: the task is stored in the queue and runs later. Follow `statusUrl` (`GET /tasks/{taskId}`) for its outcome.',
};

/**
 * Adds the standard answers to one operation, keeping any the extension documented
 * itself (with `@ApiResponse()`); a bare `202` gets the accepted description.
 */
export function addStandardResponses(operation: OperationObject): void {
  const responses = (operation.responses ??= {});
  const accepted = responses['202'] as ResponseObject | undefined;
  if (accepted && !accepted.description) responses['202'] = { ...accepted, ...acceptedResponse };
  for (const [status, response] of Object.entries(standardResponses)) responses[status] ??= response;
}
