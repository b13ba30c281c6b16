import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal.js';

/**
 * Injects the authenticated {@link Principal} into a controller method: use it for
 * object-level decisions (the same idempotency key from two callers names two orders).
 * On a {@link PublicRoute} it is `undefined`.
 *
 * @example
 * ```ts
 * @Post()
 * @RequireScopes('orders:write')
 * create(@Body() body: CreateOrderBody, @CurrentPrincipal() principal: Principal) { … }
 * ```
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
