import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { BullMqTransport, loadSettings, type ExtensionRegistry, type TaskTransport } from '@coordinator/core/runtime';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { BoardServerAdapter } from './board-server-adapter.js';
import { DashboardSettings } from './dashboard.settings.js';

/** Where the queue dashboard is served. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** What {@link mountQueueDashboard} did, for the startup log and tests. */
export interface QueueDashboardMount {
  path: string;
  queues: string[];
  readOnly: boolean;
}

/**
 * Mounts bull-board at `/admin/queues` over the transport's own `Queue` instances, one
 * per queue of the loaded extensions (wiring overrides included). Read-only unless
 * `DASHBOARD_READ_ONLY=false`: bull-board then refuses every action server-side, not
 * only in its UI. Skipped (returns `undefined`) with `DASHBOARD_ENABLED=false`, and
 * when the transport is not BullMQ (the inline test transport has no queues).
 *
 * Call it before `app.init()`: Fastify takes plugins only until it is ready.
 *
 * @example
 * ```ts
 * const mount = await mountQueueDashboard(app, registry, transport, process.env);
 * ```
 */
export async function mountQueueDashboard(
  app: NestFastifyApplication,
  registry: ExtensionRegistry,
  transport: TaskTransport,
  env: NodeJS.ProcessEnv,
): Promise<QueueDashboardMount | undefined> {
  const settings = loadSettings(DashboardSettings, env);
  if (!settings.DASHBOARD_ENABLED || !(transport instanceof BullMqTransport)) return undefined;
  const readOnly = settings.DASHBOARD_READ_ONLY;
  const queues = registry.queues();
  const serverAdapter = new BoardServerAdapter(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((name) => new BullMQAdapter(transport.queue(name), { readOnlyMode: readOnly })),
    serverAdapter,
    options: {
      // The UI package this host depends on, whatever the package manager hoisted.
      uiBasePath: dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json')),
      uiConfig: { boardTitle: 'Coordinator' },
    },
  });
  const board = serverAdapter.plugin();
  await app.register(
    async (scope: FastifyInstance) => {
      // ADMIN AUTHENTICATION GOES HERE. The dashboard shows job payloads (customer ids,
      // amounts) and, when not read-only, can retry or delete jobs. Until admin
      // credentials exist (a later issue), keep it read-only and reachable only from the
      // operators' network. Then add a hook in this scope, before the routes, e.g.
      // `scope.addHook('onRequest', requireAdminCredentials)`, so every dashboard page,
      // asset and API call needs them.
      await board(scope);
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
  new Logger('QueueDashboard').log(
    `${QUEUE_DASHBOARD_PATH} shows queues ${queues.join(', ')}, ` +
      `${readOnly ? 'read-only' : 'with actions allowed (DASHBOARD_READ_ONLY=false)'}; it has no authentication yet`,
  );
  return { path: QUEUE_DASHBOARD_PATH, queues, readOnly };
}
