import type { Principal } from '@coordinator/core';
import { AsyncLocalStorage } from 'node:async_hooks';

/** The principal of the request being handled, for checks below the controllers (object visibility). */
export const principalContext = new AsyncLocalStorage<Principal | undefined>();

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that is not public. */
    principal?: Principal;
  }
}
