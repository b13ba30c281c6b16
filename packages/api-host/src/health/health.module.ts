import {
  BullMqTransport,
  WorkerHeartbeats,
  type ExtensionRegistry,
  type TaskTransport,
} from '@coordinator/core/runtime';
import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TRANSPORT } from '../transport.token.js';
import { HealthController } from './health.controller.js';
import { QUEUES, WORKER_DIRECTORY } from './health.tokens.js';

/**
 * `GET /health/live`, `/health/ready` (with @nestjs/terminus) and `/health/workers`.
 * Terminus logs nothing here: during a Redis outage every probe would log the same
 * failure, and readiness already says it.
 */
@Module({})
export class HealthModule {
  static forRoot({ registry, transport }: { registry: ExtensionRegistry; transport: TaskTransport }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: TRANSPORT, useValue: transport },
        { provide: QUEUES, useValue: registry.queues() },
        {
          provide: WORKER_DIRECTORY,
          useValue:
            transport instanceof BullMqTransport ? new WorkerHeartbeats(transport.redis, transport.prefix) : null,
        },
      ],
    };
  }
}
