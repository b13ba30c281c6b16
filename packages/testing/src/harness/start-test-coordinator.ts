import { createApiHost } from '@coordinator/api-host';
import type { Extension, TaskDispatcher, TaskStatus, TaskStatusReader } from '@coordinator/core';
import {
  BullMqTransport,
  ExtensionRegistry,
  generateApiKey,
  InlineTransport,
  ObserverList,
  type ApiKeyEntry,
  type PipelineConfig,
  type TaskObserver,
  type TaskTransport,
  type WiringOverrides,
} from '@coordinator/core/runtime';
import { createWorkerHost, type WorkerHost } from '@coordinator/worker-host';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { deleteKeysWithPrefix, waitForQueuesIdle } from './redis-queues.js';
import { TaskJournal } from './task-journal.js';
import { TestHttpClient } from './test-http-client.js';

/**
 * `inline` runs tasks in-process without Redis (fast unit tests); `redis` runs real
 * BullMQ workers against a real Redis. The same test body passes in both.
 */
export type TestMode = 'inline' | 'redis';

/**
 * Options of {@link startTestCoordinator}.
 *
 * @example
 * ```ts
 * const options: TestCoordinatorOptions = { extensions: [orders], mode: 'redis', env: { ORDERS_OMS_URL: oms.url } };
 * ```
 */
export interface TestCoordinatorOptions {
  extensions: readonly Extension[];
  mode?: TestMode;
  /** Environment for the extensions' settings (`ORDERS_OMS_URL`, …). */
  env?: NodeJS.ProcessEnv;
  wiring?: WiringOverrides;
  /** Step lists per pipeline, as `COORDINATOR_PIPELINES` would give them. */
  pipelines?: PipelineConfig;
  /** Redis for `mode: 'redis'`; defaults to `REDIS_URL`, which the jest global setup provides. */
  redisUrl?: string;
  observers?: readonly TaskObserver[];
  /** Worker concurrency per queue in Redis mode. */
  concurrency?: number;
  /**
   * API callers to create keys for, by name, with their scopes; `coordinator.as(name)`
   * calls as one of them. `coordinator.http` calls as `test`, which holds every scope
   * (`*`, admin included) unless named here with other scopes.
   */
  callers?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Both hosts, in-process, around the extensions under test.
 *
 * @example
 * ```ts
 * const res = await coordinator.http.post('/orders', body, { 'idempotency-key': 'key-00000001' });
 * await coordinator.waitForIdle();
 * expect((await coordinator.status(res.body.taskId))?.state).toBe('completed');
 * ```
 */
export interface TestCoordinator {
  readonly mode: TestMode;
  /** Real HTTP to the API host on 127.0.0.1, as the caller `test` (every scope). */
  readonly http: TestHttpClient;
  /** Real HTTP as one of the {@link TestCoordinatorOptions.callers}, or anonymous with `as(null)`. */
  as(caller: string | null): TestHttpClient;
  /** The API key of a caller, e.g. to check logs never show it. */
  apiKey(caller: string): string;
  readonly dispatcher: TaskDispatcher;
  readonly statuses: TaskStatusReader;
  readonly journal: TaskJournal;
  readonly registry: ExtensionRegistry;
  readonly api: NestFastifyApplication;
  readonly worker: WorkerHost;
  /** Key prefix of this coordinator's queues (Redis mode); unique per coordinator. */
  readonly prefix: string | undefined;
  status(taskId: string): Promise<TaskStatus | undefined>;
  /** Resolves once no task is waiting, delayed or running. */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** Closes both hosts and the queues, and deletes this coordinator's Redis keys. */
  close(): Promise<void>;
}

/**
 * Boots the API host and the worker host in-process for a test.
 *
 * @example
 * ```ts
 * const coordinator = await startTestCoordinator({ extensions: [orders, payments], mode: 'redis', env });
 * afterAll(() => coordinator.close());
 * ```
 */
export async function startTestCoordinator(options: TestCoordinatorOptions): Promise<TestCoordinator> {
  const mode = options.mode ?? 'inline';
  const callers = testCallers(options.callers);
  // Tests call as one caller far faster than any budget; a test of the limit sets RATE_LIMIT_MAX itself.
  const env = withCallerKeys({ RATE_LIMIT_MAX: '0', ...process.env, ...options.env }, callers);
  const registry = new ExtensionRegistry(options.extensions, options.wiring, options.pipelines);
  const journal = new TaskJournal();
  const observers = new ObserverList([journal, ...(options.observers ?? [])]);

  let transport: TaskTransport;
  let prefix: string | undefined;
  let redisUrl: string | undefined;
  if (mode === 'redis') {
    redisUrl = options.redisUrl ?? process.env.REDIS_URL;
    if (!redisUrl)
      throw new Error("mode 'redis' needs REDIS_URL (the jest global setup of @coordinator/testing sets it)");
    // A prefix per coordinator isolates test files that share one Redis.
    prefix = `{test-${randomUUID().slice(0, 8)}}`;
    transport = new BullMqTransport(registry, { redisUrl, prefix, observers });
  } else {
    transport = new InlineTransport(registry, observers);
  }

  const api = await createApiHost({ registry, transport, env, logger: false });
  await api.listen({ port: 0, host: '127.0.0.1' });
  const address = api.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let worker: WorkerHost;
  try {
    worker = await createWorkerHost({
      registry,
      transport,
      env,
      observers: [observers],
      logger: false,
      graceMs: 5_000,
      consumers:
        mode === 'redis'
          ? {
              redisUrl: redisUrl!,
              prefix: prefix!,
              queues: registry.queues(),
              concurrency: () => options.concurrency ?? 10,
            }
          : undefined,
    });
  } catch (error) {
    // A worker that cannot start (a handler Nest cannot build) must not leave the API open.
    await api.close();
    await transport.close();
    throw error;
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  const clientOf = (caller: string | null): TestHttpClient => {
    if (caller === null) return new TestHttpClient(baseUrl);
    const key = callers.get(caller);
    if (!key) throw new Error(`no test caller "${caller}": name it in the callers option`);
    return new TestHttpClient(baseUrl, { authorization: `Bearer ${key.key}` });
  };
  let closing: Promise<void> | undefined;
  return {
    mode,
    http: clientOf('test'),
    as: clientOf,
    apiKey: (caller) => {
      const key = callers.get(caller);
      if (!key) throw new Error(`no test caller "${caller}": name it in the callers option`);
      return key.key;
    },
    dispatcher: transport.dispatcher,
    statuses: transport.status,
    journal,
    registry,
    api,
    worker,
    prefix,
    status: (taskId) => transport.status.get(taskId),
    waitForIdle: ({ timeoutMs = 10_000 } = {}) =>
      transport instanceof BullMqTransport
        ? waitForQueuesIdle(
            registry.queues().map((q) => transport.queue(q)),
            timeoutMs,
          )
        : withTimeout((transport as InlineTransport).whenIdle(), timeoutMs),
    close: () =>
      (closing ??= (async () => {
        await api.close();
        await worker.close();
        await transport.close();
        if (redisUrl && prefix) await deleteKeysWithPrefix(redisUrl, prefix);
      })()),
  };
}

/** A fresh key per caller; `test` holds every scope unless the options say otherwise. */
function testCallers(
  callers: TestCoordinatorOptions['callers'] = {},
): Map<string, { key: string; entry: ApiKeyEntry }> {
  const all: Record<string, readonly string[]> = { test: ['*'], ...callers };
  return new Map(Object.entries(all).map(([name, scopes]) => [name, generateApiKey(name, [...scopes])]));
}

/** The environment with the callers' keys added to any `COORDINATOR_API_KEYS` it already has. */
function withCallerKeys(env: NodeJS.ProcessEnv, callers: Map<string, { entry: ApiKeyEntry }>): NodeJS.ProcessEnv {
  let configured: ApiKeyEntry[] = [];
  if (env.COORDINATOR_API_KEYS) {
    const parsed: unknown = JSON.parse(env.COORDINATOR_API_KEYS);
    if (Array.isArray(parsed)) configured = parsed as ApiKeyEntry[];
  }
  const entries = [...configured, ...[...callers.values()].map((c) => c.entry)];
  return { ...env, COORDINATOR_API_KEYS: JSON.stringify(entries) };
}

function withTimeout(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`tasks still running after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
