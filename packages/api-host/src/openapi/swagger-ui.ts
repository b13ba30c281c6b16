import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The files of `swagger-ui-dist` the page loads, and their content types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * Swagger UI at `path` for the document at `jsonPath`. Served here rather than by
 * `SwaggerModule.setup`'s UI, which needs `@fastify/static` (see `BoardServerAdapter`
 * for why the host does without it): five fixed files of `swagger-ui-dist`, one route
 * each, so no request path reaches the file system. Nothing is loaded from elsewhere
 * (no CDN, and no call to the public spec validator).
 *
 * @example
 * ```ts
 * serveSwaggerUi(app.getHttpAdapter().getInstance(), '/docs', '/docs-json', 'Commerce Coordinator API');
 * ```
 */
export function serveSwaggerUi(fastify: FastifyInstance, path: string, jsonPath: string, title: string): void {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const [file, type] of Object.entries(ASSETS)) {
    fastify.get(`${path}/${file}`, (_request, reply) =>
      reply
        .type(type)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=3600')
        .send(createReadStream(join(dist, file))),
    );
  }
  const init = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(jsonPath)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`;
  fastify.get(`${path}/swagger-ui-init.js`, (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(init),
  );
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${path}/swagger-ui.css" />
  <link rel="icon" type="image/png" href="${path}/favicon-32x32.png" sizes="32x32" />
  <link rel="icon" type="image/png" href="${path}/favicon-16x16.png" sizes="16x16" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${path}/swagger-ui-bundle.js"></script>
  <script src="${path}/swagger-ui-standalone-preset.js"></script>
  <script src="${path}/swagger-ui-init.js"></script>
</body>
</html>
`;
  fastify.get(path, (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
