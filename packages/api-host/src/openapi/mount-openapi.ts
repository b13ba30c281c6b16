import { loadSettings, type ExtensionRegistry } from '@coordinator/core/runtime';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { DocsSettings } from './docs.settings.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { serveSwaggerUi } from './swagger-ui.js';

/** Where Swagger UI is served; the JSON document is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = '/docs';

/**
 * Serves the OpenAPI document of every loaded extension at `/docs-json` and Swagger UI
 * at `/docs`, unless `DOCS_ENABLED=false`. The document is built here, at startup, so a
 * DTO the converter cannot read stops the host instead of the first reader.
 *
 * Call it before `app.init()`, like every route added outside Nest's controllers.
 *
 * @example
 * ```ts
 * mountOpenApi(app, registry, process.env);
 * ```
 */
export function mountOpenApi(
  app: NestFastifyApplication,
  registry: ExtensionRegistry,
  env: NodeJS.ProcessEnv,
): { path: string; jsonPath: string } | undefined {
  if (!loadSettings(DocsSettings, env).DOCS_ENABLED) return undefined;
  const document = buildOpenApiDocument(app, registry);
  // `@nestjs/swagger` serves the JSON; the UI is served by this host (see serveSwaggerUi).
  SwaggerModule.setup(DOCS_PATH, app, document, { ui: false, raw: ['json'] });
  serveSwaggerUi(app.getHttpAdapter().getInstance(), DOCS_PATH, `${DOCS_PATH}-json`, 'Commerce Coordinator API');
  new Logger('OpenApi').log(`API documentation at ${DOCS_PATH} (OpenAPI document at ${DOCS_PATH}-json)`);
  return { path: DOCS_PATH, jsonPath: `${DOCS_PATH}-json` };
}
