import { PublicRoute } from '@coordinator/core';
import type { TaskTransport } from '@coordinator/core/runtime';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { TRANSPORT } from '../transport.token.js';
import { QUEUES, WORKER_DIRECTORY } from './health.tokens.js';
import { workerCoverage, type WorkerDirectory, type WorkersReport } from './worker-coverage.js';

/**
 * Liveness says the process serves HTTP; readiness says it can accept work, which
 * needs Redis and nothing else: workers and downstream services being down is exactly
 * what the queue absorbs. `GET /health/workers` tells which worker hosts serve which
 * queue; it is information, not readiness, so it answers 200 even when a queue has no
 * worker (`status: 'degraded'`): a load balancer must not pull an API that can still queue.
 */
@Controller('health')
@PublicRoute('liveness and readiness probes of load balancers and orchestrators')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(TRANSPORT) private readonly transport: TaskTransport,
    @Inject(QUEUES) private readonly queues: readonly string[],
    @Inject(WORKER_DIRECTORY) private readonly workers: WorkerDirectory | null,
  ) {}

  // Both checks are documented when the OpenAPI document is built (health-check-responses.ts):
  // with `swaggerDocumentation: true` here, @nestjs/terminus would load @nestjs/swagger at start.
  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** 200 while Redis answers PING within a second, 503 otherwise (and while shutting down). */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.indicators
          .check('redis')
          .attempt(() => this.transport.ping())
          .withTimeout(1_500),
    ]);
  }

  @Get('workers')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  async workersReport(): Promise<WorkersReport> {
    const now = Date.now();
    if (!this.workers) {
      return {
        ...workerCoverage(this.queues, [], now),
        status: 'unknown',
        unserved: [],
        reason: `the ${this.transport.kind} transport keeps no worker heartbeats`,
      };
    }
    try {
      return workerCoverage(this.queues, await this.workers.live(now), now);
    } catch (error) {
      return {
        ...workerCoverage(this.queues, [], now),
        status: 'unknown',
        unserved: [],
        reason: `cannot read worker heartbeats: ${(error as Error).message}`,
      };
    }
  }
}
