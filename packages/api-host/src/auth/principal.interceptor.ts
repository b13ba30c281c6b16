import { runAsOwner } from '@coordinator/core/runtime';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { principalContext } from './principal-context.js';

/**
 * Runs each controller method as its caller: tasks it dispatches are owned by the
 * principal, and status reads see only the principal's tasks. Nest binds the handler's
 * async context when `next.handle()` is called, so calling it inside `run` is enough.
 */
@Injectable()
export class PrincipalInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    return principalContext.run(principal, () => runAsOwner(principal?.id, () => next.handle()));
  }
}
