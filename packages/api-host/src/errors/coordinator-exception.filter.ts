import {
  IdempotencyConflictError,
  PayloadValidationError,
  PipelineStepError,
  PipelineTimeoutError,
  QueueUnavailableError,
} from '@coordinator/core';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Answers the SDK's errors with the status that tells the caller what to do:
 * a payload that fails its DTO is the caller's to fix (400, naming the fields), so is an
 * idempotency key reused for another payload (422); a request-time pipeline whose step
 * failed or ran out of time answers 502 or 504; a queue
 * that cannot store the task means "try again" (503 with Retry-After). Anything else
 * unexpected is a 500 without internals in the body.
 */
@Catch()
export class CoordinatorExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof HttpException) {
      const body = error.getResponse();
      void reply
        .status(error.getStatus())
        .send(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
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
    if (error instanceof QueueUnavailableError) {
      this.logger.warn(error.message);
      void reply
        .status(503)
        .header('Retry-After', '1')
        .send({ statusCode: 503, error: 'Service Unavailable', message: 'the task queue is unavailable; retry later' });
      return;
    }
    const status = statusOfFastifyError(error);
    if (status !== undefined && status < 500) {
      void reply.status(status).send({ statusCode: status, error: 'Bad Request', message: (error as Error).message });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    void reply.status(500).send({ statusCode: 500, error: 'Internal Server Error' });
  }
}

/** Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode. */
function statusOfFastifyError(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
