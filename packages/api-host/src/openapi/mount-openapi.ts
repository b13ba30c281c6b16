import { loadSettings, type ExtensionRegistry } from '@coordinator/core/runtime';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocsSettings } from './docs.settings.js';
import { readExtensionDocs } from './extension-docs.js';
import { serveSwaggerUi } from './swagger-ui.js';

/** Where Swagger UI is served; the JSON document is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = '/docs';

/**
 * Serves the OpenAPI document of every loaded extension at `/docs-json` and Swagger UI
 * at `/docs`, unless `DOCS_ENABLED=false`. The extensions' body DTOs are converted here, at
 * start, so one the converter cannot read stops the host instead of the first reader. The
 * rest of the document, `@nestjs/swagger`'s scan of the controllers, is built on the first
 * request for it: `@nestjs/swagger` and the ≈ 550 modules it loads were an eighth of the
 * api host's start-up (docs/performance.md), for a page people open now and then.
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
  const extensionDocs = readExtensionDocs(registry);
  const jsonPath = `${DOCS_PATH}-json`;
  const logger = new Logger('OpenApi');
  let documentJson: Promise<string> | undefined;
  // Built once; a failure is logged once and answers every request 500 (these routes are
  // plain Fastify ones, outside the exception filter that would log it).
  const buildOnce = () =>
    (documentJson ??= import('./openapi-document.js')
      .then(({ buildOpenApiDocument }) => JSON.stringify(buildOpenApiDocument(app, registry, extensionDocs)))
      .catch((error: unknown) => {
        logger.error(`cannot build the OpenAPI document: ${error instanceof Error ? error.stack : String(error)}`);
        throw error;
      }));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(jsonPath, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(await buildOnce()),
  );
  serveSwaggerUi(fastify, DOCS_PATH, jsonPath, 'Commerce Coordinator API');
  logger.log(`API documentation at ${DOCS_PATH} (OpenAPI document at ${jsonPath})`);
  return { path: DOCS_PATH, jsonPath };
}
