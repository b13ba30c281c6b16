import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Deepest nesting of arrays and objects a request body may have. The coordinator's DTOs
 * and a provider's events need a handful of levels; class-transformer and
 * class-validator recurse once per level and overflow the stack somewhere past a
 * thousand, which a 64 KiB body of `[[[[…` reaches easily.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * Whether `value` nests arrays and objects more than `max` levels deep. Iterative, so
 * the check itself cannot overflow the stack it protects.
 *
 * @example
 * ```ts
 * nestedDeeperThan(JSON.parse('[[[]]]'), 2); // true
 * ```
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Answers 400 to a parsed body nested more than {@link MAX_BODY_DEPTH} levels, before
 * validation or a handler recurses into it (which would end in a stack overflow and a 500).
 * Call before `app.init()`, so the hook covers every route.
 *
 * @example
 * ```ts
 * mountBodyDepthLimit(app);
 * ```
 */
export function mountBodyDepthLimit(app: NestFastifyApplication, max = MAX_BODY_DEPTH): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // A callback hook, not an async one: Fastify makes no promise per request for it.
  fastify.addHook('preValidation', (request, reply, done) => {
    if (!nestedDeeperThan(request.body, max)) return done();
    // Answered here: the request goes no further, so `done` is not called.
    reply.code(400).send({
      statusCode: 400,
      error: 'Bad Request',
      message: `request body is nested too deeply: more than ${max} levels of arrays and objects`,
    });
  });
}
