import {
  InlineTransport,
  type DownstreamGuards,
  type ExtensionRegistry,
  type TaskExecutor,
  type TaskObserver,
  type TaskTransport,
} from '@coordinator/core/runtime';
import type { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { WorkerPool } from './consumers/worker-pool.js';
import { WorkerHostModule, type WorkerHostModuleOptions } from './worker-host.module.js';
import { TASK_EXECUTOR, WORKER_POOL } from './worker-host.tokens.js';

/**
 * Options of {@link createWorkerHost}.
 *
 * @example
 * ```ts
 * const options: CreateWorkerHostOptions = { registry, transport, consumers: { redisUrl, prefix, queues: ['orders'], concurrency: () => 10 } };
 * ```
 */
export interface CreateWorkerHostOptions {
  registry: ExtensionRegistry;
  /** The caller owns it and closes it after the host. */
  transport: TaskTransport;
  /** BullMQ consumers; leave out with an {@link InlineTransport}, which runs tasks itself. */
  consumers?: WorkerHostModuleOptions['consumers'];
  graceMs?: number;
  observers?: readonly TaskObserver[];
  /** The host's circuit breakers and bulkheads; a fresh set when left out. */
  guards?: DownstreamGuards;
  env?: NodeJS.ProcessEnv;
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * A worker host application context.
 *
 * @example
 * ```ts
 * const host = await createWorkerHost(options);
 * await host.close();
 * ```
 */
export interface WorkerHost {
  app: INestApplicationContext;
  executor: TaskExecutor;
  pool: WorkerPool;
  /** The circuit breakers and bulkheads its jobs call downstreams through. */
  guards: DownstreamGuards;
  /** Stops fetching, lets running jobs finish within the grace period, and closes. */
  close(): Promise<void>;
}

/**
 * Builds the worker host: creates the extensions' handlers through DI and starts
 * consuming (BullMQ workers, or the inline transport's runner).
 *
 * @example
 * ```ts
 * const host = await createWorkerHost({ registry, transport, consumers });
 * ```
 */
export async function createWorkerHost(options: CreateWorkerHostOptions): Promise<WorkerHost> {
  const app = await NestFactory.createApplicationContext(
    WorkerHostModule.forRoot({
      registry: options.registry,
      transport: options.transport,
      consumers: options.consumers,
      graceMs: options.graceMs ?? 25_000,
      observers: options.observers,
      guards: options.guards,
      env: options.env,
    }),
    { logger: options.logger ?? ['log', 'warn', 'error'], abortOnError: false },
  );
  await app.init();
  const executor = app.get<TaskExecutor>(TASK_EXECUTOR);
  if (options.transport instanceof InlineTransport) options.transport.attachExecutor(executor);
  let closing: Promise<void> | undefined;
  return {
    app,
    executor,
    pool: app.get<WorkerPool>(WORKER_POOL),
    guards: executor.guards,
    close: () => (closing ??= app.close()),
  };
}
