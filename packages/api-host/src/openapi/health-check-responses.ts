import { ApiOkResponse, ApiServiceUnavailableResponse, type SchemaObject } from '@nestjs/swagger';
import { HealthController } from '../health/health.controller.js';

/** `info`, `error` and `details` of a health check result: one entry per indicator. */
const indicators = (example: Record<string, unknown>): SchemaObject => ({
  type: 'object',
  example,
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['up', 'down'] },
      responseTime: { type: 'number', description: 'How long the check took, in ms' },
    },
    additionalProperties: true,
  },
});

const UP = { redis: { status: 'up', responseTime: 1 } };
const DOWN = { redis: { status: 'down', responseTime: 1500 } };

/** @nestjs/terminus's result body, with the one indicator this host checks (Redis) as example. */
function healthCheckSchema(outcome: 'ok' | 'error'): SchemaObject {
  const ok = outcome === 'ok';
  return {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ok ? ['ok'] : ['error', 'shutting_down'], example: outcome },
      info: { ...indicators(ok ? UP : {}), nullable: true },
      error: { ...indicators(ok ? {} : DOWN), nullable: true },
      details: indicators(ok ? UP : DOWN),
    },
  };
}

/**
 * Documents `GET /health/live` and `/health/ready`'s answers. @nestjs/terminus can do it from
 * the controller's `@HealthCheck()`, but only by loading @nestjs/swagger when the controller
 * is defined, that is at every start; the host loads it only to build its document, which is
 * when this runs. Running it again sets the same metadata.
 *
 * @example
 * ```ts
 * documentHealthChecks(); // then SwaggerModule.createDocument(app, config)
 * ```
 */
export function documentHealthChecks(): void {
  const answers = [
    ApiOkResponse({ description: 'The check passed', schema: healthCheckSchema('ok') }),
    ApiServiceUnavailableResponse({
      description: 'The check failed, or the host is shutting down',
      schema: healthCheckSchema('error'),
    }),
  ];
  for (const method of ['live', 'ready'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(HealthController.prototype, method)!;
    for (const answer of answers) answer(HealthController.prototype, method, descriptor);
  }
}
