import {
  IdempotencyConflictError,
  PayloadValidationError,
  PipelineStepError,
  PipelineTimeoutError,
  QueueFullError,
  QueueUnavailableError,
} from '@coordinator/core';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';

/** How long a caller should wait before retrying a full queue: it drains at the workers' pace, not at once. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

/**
 * Answers the SDK's errors with the status that tells the caller what to do:
 * a payload that fails its DTO is the caller's to fix (400, naming the fields), so is an
 * idempotency key reused for another payload (422); a request-time pipeline whose step
 * failed or ran out of time answers 502 or 504; a queue
 * that cannot store the task, or already holds as many as it may, means "try again"
 * (503 with Retry-After). Fastify's own refusals (413 body too large, 415 content type,
 * 429 rate limit) keep their status and reason phrase. Anything else unexpected is a
 * 500 without internals in the body.
 */
@Catch()
export class CoordinatorExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (error instanceof HttpException) {
      // Nest turns Fastify's own 4xx errors (413, 415, bad JSON) into HttpExceptions with a plain message.
      const status = error.getStatus();
      const body = error.getResponse();
      void reply
        .status(status)
        .send(
          typeof body === 'string'
            ? { statusCode: status, error: reasonOf(status), message: messageOf(error.cause, body, request) }
            : body,
        );
      return;
    }
    if (error instanceof PayloadValidationError) {
      void reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: error.fields });
      return;
    }
    if (error instanceof IdempotencyConflictError) {
      void reply.status(422).send({ statusCode: 422, error: 'Unprocessable Entity', message: error.message });
      return;
    }
    if (error instanceof PipelineTimeoutError) {
      this.logger.warn(error.message);
      void reply.status(504).send({ statusCode: 504, error: 'Gateway Timeout', message: error.message });
      return;
    }
    if (error instanceof PipelineStepError) {
      // A step's failure is reported, never swallowed; its details stay in the log.
      this.logger.error(
        `${error.message}${error.cause instanceof Error && error.cause.stack ? `\n${error.cause.stack}` : ''}`,
      );
      void reply
        .status(502)
        .send({ statusCode: 502, error: 'Bad Gateway', message: `pipeline step ${error.step} failed` });
      return;
    }
    if (error instanceof QueueFullError) {
      this.logger.warn(error.message);
      void reply
        .status(503)
        .header('Retry-After', String(QUEUE_FULL_RETRY_AFTER_SECONDS))
        .send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `the "${error.queue}" queue is full; retry later`,
        });
      return;
    }
    if (error instanceof QueueUnavailableError) {
      this.logger.warn(error.message);
      void reply
        .status(503)
        .header('Retry-After', '1')
        .send({ statusCode: 503, error: 'Service Unavailable', message: 'the task queue is unavailable; retry later' });
      return;
    }
    const status = statusOfFastifyError(error);
    if (status !== undefined && status >= 400 && status < 500) {
      // Plugins' refusals (429 from the rate limiter) arrive as errors carrying a status.
      const message = messageOf(error, (error as Error).message, request);
      void reply.status(status).send({ statusCode: status, error: reasonOf(status), message });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    void reply.status(500).send({ statusCode: 500, error: 'Internal Server Error' });
  }
}

/** The reason phrase of a status: `Payload Too Large` for 413. */
function reasonOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The message to answer, made to say which limit a too-large body broke. */
function messageOf(cause: unknown, message: string, request: FastifyRequest): string {
  if ((cause as { code?: unknown } | undefined)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `request body is larger than this route's limit of ${request.routeOptions.bodyLimit} bytes`;
  }
  return message;
}

/** Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode. */
function statusOfFastifyError(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
