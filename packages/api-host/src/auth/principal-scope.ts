import { runAsPrincipal } from '@coordinator/core/runtime';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Runs each request's handler as its caller (`runAsPrincipal`): tasks it dispatches are owned by
 * the principal, and status reads see only the principal's tasks (`actingPrincipal()`).
 *
 * A Fastify hook that calls `done` inside that context: Fastify starts the route handler
 * (Nest's whole pipeline) from `done`, so the handler and everything it awaits inherit it.
 * The same as a Nest interceptor, without the rxjs pipeline an interceptor adds to every
 * request. Mount it after authentication, which sets `request.principal`.
 *
 * @example
 * ```ts
 * mountAuthentication(app, policies, authenticator);
 * mountPrincipalScope(app);
 * ```
 */
export function mountPrincipalScope(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', (request, _reply, done) => {
      runAsPrincipal(request.principal, done);
    });
}
