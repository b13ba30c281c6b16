import type { Principal } from '@coordinator/core';

// Code below the controllers reads the principal with `actingPrincipal()` (principal-scope.ts).
declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that is not public. */
    principal?: Principal;
  }
}
