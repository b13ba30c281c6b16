import { runAsOwner } from '@coordinator/core/runtime';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { principalContext } from './principal-context.js';

/**
 * Runs each request's handler as its caller: tasks it dispatches are owned by the principal
 * (`runAsOwner`), and status reads see only the principal's tasks (`principalContext`).
 *
 * A Fastify hook that calls `done` inside both contexts: Fastify starts the route handler
 * (Nest's whole pipeline) from `done`, so the handler and everything it awaits inherit them.
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
      const principal = request.principal;
      principalContext.run(principal, () => runAsOwner(principal?.id, done));
    });
}
