import { TaskDispatcher, TaskStatusReader } from '@coordinator/core';
import {
  createExtensionModule,
  DownstreamGuards,
  ObserverList,
  retryBackoffStrategy,
  PipelineRunner,
  TaskExecutor,
  workerRedisOptions,
  type ExtensionRegistry,
  type TaskObserver,
  type TaskTransport,
} from '@coordinator/core/runtime';
import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { cachedResolver } from './consumers/cached-resolver.js';
import { createQueueProcessor } from './consumers/queue-processor.factory.js';
import type { ConnectionWatchdogOptions } from './consumers/connection-watchdog.js';
import { DEFAULT_STALLED_JOB_SETTINGS, type StalledJobSettings } from './consumers/stalled-jobs.js';
import { WorkerPool } from './consumers/worker-pool.js';
import { BreakerLog } from './downstreams/breaker-log.js';
import { DOWNSTREAM_GUARDS, TASK_EXECUTOR, TRANSPORT, WORKER_POOL } from './worker-host.tokens.js';

/** What the worker host module is built from. */
export interface WorkerHostModuleOptions {
  registry: ExtensionRegistry;
  /** Producer side, for signals emitted by handlers and for statuses. */
  transport: TaskTransport;
  /** BullMQ consumers; omitted when tasks run inline (tests). */
  consumers?: {
    redisUrl: string;
    prefix: string;
    queues: readonly string[];
    concurrency: (queue: string) => number;
    /** Lock and stalled-check settings; `DEFAULT_STALLED_JOB_SETTINGS` when unset. */
    stalled?: StalledJobSettings;
    /** Dead-connection checks; `DEFAULT_CONNECTION_WATCHDOG` when unset. */
    watchdog?: ConnectionWatchdogOptions;
  };
  graceMs: number;
  observers?: readonly TaskObserver[];
  /**
   * The circuit breakers and bulkheads of this host's downstream calls; a fresh set when
   * left out. Pass one to watch its circuits (metrics) from outside the host.
   */
  guards?: DownstreamGuards;
  env?: NodeJS.ProcessEnv;
}

/**
 * The worker host: every loaded extension's providers, worker-only providers, task
 * handlers and pipeline steps, plus one BullMQ worker per served queue. No controllers.
 * Handlers may run pipelines too, through the globally provided {@link PipelineRunner}.
 * Every job of the host calls its downstreams through one set of {@link DownstreamGuards},
 * whose circuit changes are logged.
 */
@Module({})
export class WorkerHostModule {
  static forRoot(options: WorkerHostModuleOptions): DynamicModule {
    const { registry, transport, consumers, env = process.env } = options;
    const guards = options.guards ?? new DownstreamGuards();
    const providers: Provider[] = [
      { provide: DOWNSTREAM_GUARDS, useValue: guards },
      { provide: BreakerLog, useValue: new BreakerLog(guards) },
      { provide: TRANSPORT, useValue: transport },
      { provide: TaskDispatcher, useValue: transport.dispatcher },
      { provide: TaskStatusReader, useValue: transport.status },
      { provide: WORKER_POOL, useValue: new WorkerPool(options.graceMs, () => transport.ping(), consumers?.watchdog) },
      {
        provide: PipelineRunner,
        inject: [ModuleRef],
        useFactory: (moduleRef: ModuleRef) =>
          new PipelineRunner(registry, (type) => moduleRef.get(type, { strict: false })),
      },
      {
        provide: TASK_EXECUTOR,
        inject: [ModuleRef],
        useFactory: (moduleRef: ModuleRef) =>
          new TaskExecutor(registry, cachedResolver(moduleRef), transport.dispatcher, {
            observers: new ObserverList(options.observers),
            guards,
          }),
      },
    ];
    const imports: DynamicModule[] = registry.extensions.map((extension) =>
      createExtensionModule(extension, { controllers: false, worker: true }, env),
    );
    if (consumers) {
      imports.push(
        BullModule.forRoot({
          connection: workerRedisOptions(consumers.redisUrl),
          prefix: consumers.prefix,
          // No BullMQ telemetry for the workers: the task executor continues the producer span's
          // context the job carries (JobRun.producerTrace) in the one span an attempt records.
          // BullMQ's would wrap every job's fetch, run and completion in a context of its own and
          // parse that context twice per job, for spans the coordinator leaves unrecorded.
        }),
        // With no queues this creates no Queue (the transport produces), but it brings
        // in the explorer that turns the @Processor classes below into Workers.
        BullModule.registerQueue(),
      );
      const stalled = consumers.stalled ?? DEFAULT_STALLED_JOB_SETTINGS;
      for (const queue of consumers.queues) {
        providers.push(
          createQueueProcessor(queue, {
            concurrency: consumers.concurrency(queue),
            lockDuration: stalled.lockDurationMs,
            stalledInterval: stalled.stalledIntervalMs,
            maxStalledCount: stalled.maxStalledCount,
            settings: { backoffStrategy: retryBackoffStrategy(registry) },
          }),
        );
      }
    }
    return {
      module: WorkerHostModule,
      global: true,
      imports,
      providers,
      exports: [TaskDispatcher, TaskStatusReader, PipelineRunner, TASK_EXECUTOR, WORKER_POOL, DOWNSTREAM_GUARDS],
    };
  }
}
