import { TaskDispatcher, TaskStatusReader } from '@coordinator/core';
import {
  BullMqTransport,
  createExtensionModule,
  PipelineRunner,
  type ExtensionRegistry,
  type TaskTransport,
} from '@coordinator/core/runtime';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, ModuleRef } from '@nestjs/core';
import { AdminController } from './admin/admin.controller.js';
import { ADMIN_SOURCES, type AdminSources } from './admin/admin.tokens.js';
import { VisibleStatusReader } from './auth/visible-status-reader.js';
import { CoordinatorExceptionFilter } from './errors/coordinator-exception.filter.js';
import { HealthModule } from './health/health.module.js';
import { apiDispatcher } from './limits/api-dispatcher.js';
import { TasksController } from './tasks/tasks.controller.js';
import { TRANSPORT } from './transport.token.js';
import { PlannedValidationPipe } from './validation/planned-validation.pipe.js';

/** What the API host module is built from. */
export interface ApiHostModuleOptions {
  registry: ExtensionRegistry;
  transport: TaskTransport;
  env?: NodeJS.ProcessEnv;
}

/**
 * The API host: the loaded extensions' controllers plus the coordinator's own routes,
 * with the dispatcher, status reader and pipeline runner provided globally for the
 * extensions to inject. Worker-only providers and task handlers are never instantiated
 * here; pipeline steps are, since pipelines answer requests.
 */
@Module({})
export class ApiHostModule {
  static forRoot({ registry, transport, env = process.env }: ApiHostModuleOptions): DynamicModule {
    return {
      module: ApiHostModule,
      global: true,
      imports: [
        ...registry.extensions.map((extension) =>
          createExtensionModule(extension, { controllers: true, worker: false }, env),
        ),
        HealthModule.forRoot({ registry, transport }),
      ],
      // The admin routes read BullMQ's sets; the inline test transport has none.
      controllers: transport instanceof BullMqTransport ? [TasksController, AdminController] : [TasksController],
      providers: [
        { provide: TRANSPORT, useValue: transport },
        ...(transport instanceof BullMqTransport
          ? [{ provide: ADMIN_SOURCES, useValue: { registry, transport } satisfies AdminSources }]
          : []),
        // Bounded per queue (QUEUE_MAX_WAITING): a backed-up queue answers 503 instead of filling Redis.
        { provide: TaskDispatcher, useValue: apiDispatcher(transport, registry, env) },
        // Controllers see only their caller's tasks (admins see all).
        { provide: TaskStatusReader, useValue: new VisibleStatusReader(transport.status) },
        {
          provide: PipelineRunner,
          inject: [ModuleRef],
          useFactory: (moduleRef: ModuleRef) =>
            new PipelineRunner(registry, (type) => moduleRef.get(type, { strict: false })),
        },
        { provide: APP_FILTER, useClass: CoordinatorExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new PlannedValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
      exports: [TaskDispatcher, TaskStatusReader, PipelineRunner],
    };
  }
}
