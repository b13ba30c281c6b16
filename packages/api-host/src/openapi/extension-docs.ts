import type { ExtensionRegistry } from '@coordinator/core/runtime';
import type { SchemaObject } from '@nestjs/swagger';
import { dtoSchemas } from './dto-schemas.js';
import { extensionRoutes, type ExtensionRoute } from './extension-routes.js';

/** What the OpenAPI document takes from the loaded extensions beyond `@nestjs/swagger`'s scan. */
export interface ExtensionDocs {
  routes: ExtensionRoute[];
  /** The JSON schema of every body DTO and of the classes nested in it, by class name. */
  bodySchemas: Record<string, SchemaObject>;
}

/**
 * Reads the extensions' routes and converts their body DTOs. Cheap (no `@nestjs/swagger`), so
 * the host does it at start: a DTO the converter cannot read stops the host, not its first
 * reader of `/docs`.
 *
 * @example
 * ```ts
 * const { routes, bodySchemas } = readExtensionDocs(registry);
 * ```
 */
export function readExtensionDocs(registry: ExtensionRegistry): ExtensionDocs {
  const routes = extensionRoutes(registry);
  return { routes, bodySchemas: dtoSchemas(routes.flatMap((r) => (r.body ? [r.body] : []))) };
}
