import type {
  AppControllerRoute,
  AppViewRoute,
  BullBoardQueues,
  ControllerHandlerReturnType,
  IServerAdapter,
  UIConfig,
} from '@bull-board/api/typings/app';
import ejs from 'ejs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { boardErrorBody } from './board-error-body.js';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * bull-board's server side on a Fastify scope, without `@fastify/static` and
 * `@fastify/view` (what `@bull-board/fastify` uses): `@fastify/static` needs the ESM-only
 * `content-disposition` 3, which jest on Node 20 cannot `require`, and the API host must
 * load in the extension teams' jest tests. Static files are the UI package's own, listed
 * once at startup and looked up by exact relative path, so no request path ever reaches
 * the file system; the page is bull-board's `index.ejs`, rendered with ejs as upstream does.
 *
 * @example
 * ```ts
 * const adapter = new BoardServerAdapter('/admin/queues');
 * createBullBoard({ queues, serverAdapter: adapter });
 * await app.register(adapter.plugin(), { prefix: '/admin/queues' });
 * ```
 */
export class BoardServerAdapter implements IServerAdapter {
  private queues: BullBoardQueues | undefined;
  private viewsPath: string | undefined;
  private statics: { route: string; path: string } | undefined;
  private entry: AppViewRoute | undefined;
  private apiRoutes: AppControllerRoute[] = [];
  private errorHandler: ((error: Error) => ControllerHandlerReturnType) | undefined;
  private uiConfig: UIConfig = {};

  constructor(private readonly basePath: string) {}

  setQueues(queues: BullBoardQueues): this {
    this.queues = queues;
    return this;
  }

  setViewsPath(viewsPath: string): this {
    this.viewsPath = viewsPath;
    return this;
  }

  setStaticPath(route: string, path: string): this {
    this.statics = { route, path };
    return this;
  }

  setEntryRoute(route: AppViewRoute): this {
    this.entry = route;
    return this;
  }

  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType): this {
    this.errorHandler = handler;
    return this;
  }

  setApiRoutes(routes: AppControllerRoute[]): this {
    this.apiRoutes = routes;
    return this;
  }

  setUIConfig(config: UIConfig = {}): this {
    this.uiConfig = config;
    return this;
  }

  /** The Fastify plugin serving the board; register it with the base path as prefix. */
  plugin(): (scope: FastifyInstance) => Promise<void> {
    const { queues, viewsPath, statics, entry, errorHandler } = this;
    if (!queues || !viewsPath || !statics || !entry || !errorHandler) {
      throw new Error('BoardServerAdapter: createBullBoard() must configure the adapter before plugin()');
    }
    const files = listFiles(statics.path);
    const templates = new Map<string, ejs.TemplateFunction>();
    const render = (name: string, params: Record<string, unknown>) => {
      let template = templates.get(name);
      if (!template) {
        const file = join(viewsPath, name);
        template = ejs.compile(readFileSync(file, 'utf8'), { filename: file });
        templates.set(name, template);
      }
      return template(params);
    };

    return async (scope) => {
      scope.setErrorHandler((error, _request, reply) => {
        const response = errorHandler(error as Error);
        const status = response.status ?? 500;
        return reply.status(status).send(boardErrorBody(status, response.body));
      });

      scope.get(`${statics.route}/*`, (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
        const file = files.get(request.params['*']);
        if (!file) return reply.callNotFound();
        return reply
          .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'public, max-age=3600')
          .send(createReadStream(file));
      });

      for (const url of ([] as string[]).concat(entry.route)) {
        scope.route({
          method: entry.method.toUpperCase(),
          url,
          handler: (_request, reply: FastifyReply) => {
            const { name, params } = entry.handler({ basePath: this.basePath, uiConfig: this.uiConfig });
            return reply.type('text/html; charset=utf-8').send(render(name, params));
          },
        });
      }

      for (const route of this.apiRoutes) {
        const methods = ([] as string[]).concat(route.method).map((m) => m.toUpperCase());
        for (const url of ([] as string[]).concat(route.route)) {
          scope.route({
            method: methods,
            url,
            handler: async (request, reply) => {
              const response = await route.handler({
                queues,
                uiConfig: this.uiConfig,
                params: request.params as Record<string, unknown>,
                query: request.query as Record<string, unknown>,
                body: request.body as Record<string, unknown>,
                headers: request.headers as Record<string, string | undefined>,
              });
              const status = response.status ?? 200;
              return reply.status(status).send(boardErrorBody(status, response.body));
            },
          });
        }
      }
    };
  }
}

/** Every file under `root`, keyed by its path relative to it with `/` separators. */
function listFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = join(root, entry);
    if (statSync(file).isFile()) files.set(relative(root, file).split(sep).join('/'), file);
  }
  return files;
}
