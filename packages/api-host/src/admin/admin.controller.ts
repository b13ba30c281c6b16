import { RequireScopes } from '@coordinator/core';
import {
  listDeadLetters,
  queuesToSearch,
  replayDeadLetter,
  WorkerHeartbeats,
  workersReport,
  type DeadLetter,
  type ExtensionRegistry,
  type WorkersReport,
} from '@coordinator/core/runtime';
import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ADMIN_SOURCES, type AdminSources } from './admin.tokens.js';

/** Answer of `POST /admin/dead-letters/:id/replay`. */
export interface ReplayAnswer {
  taskId: string;
  /** `true` when this request moved the job back to waiting; `false` when it was not failed (any more). */
  replayed: boolean;
  queue: string;
  /** The job's state when it was not replayed: `waiting`, `active`, `completed`, … */
  state?: string;
}

const MAX_LIMIT = 500;

/**
 * Operator routes, `admin` scope only: the dead letters (failed jobs with their reason,
 * payload and the error of each attempt) and their replay, and the live worker hosts with
 * their versions. The same views as the `coordinator dead-letters` and `workers` commands.
 */
@Controller('admin')
@RequireScopes('admin')
export class AdminController {
  private readonly heartbeats: WorkerHeartbeats;

  constructor(@Inject(ADMIN_SOURCES) private readonly sources: AdminSources) {
    this.heartbeats = new WorkerHeartbeats(sources.transport.redis, sources.transport.prefix);
  }

  /** Newest failed jobs first, with the failed count per queue. `?queue=orders&limit=50`. */
  @Get('dead-letters')
  async deadLetters(
    @Query('queue') queue?: string,
    @Query('limit') limit?: string,
  ): Promise<{ failed: Record<string, number>; jobs: DeadLetter[] }> {
    return listDeadLetters(this.queueOf, this.queues(queue), this.limit(limit));
  }

  /**
   * Moves a failed job back to waiting with its attempts reset. Idempotent: a job that is
   * not failed (already replayed, say) answers `replayed: false` with its state.
   */
  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  async replay(@Param('id') taskId: string): Promise<ReplayAnswer> {
    const outcome = await replayDeadLetter(this.queueOf, taskId, queuesToSearch(this.registry, taskId));
    switch (outcome.kind) {
      case 'replayed':
        return { taskId, replayed: true, queue: outcome.queue };
      case 'skipped':
        return { taskId, replayed: false, queue: outcome.queue, state: outcome.state };
      case 'missing':
        throw new NotFoundException(`no task with id ${taskId} (unknown, or removed after its retention)`);
      case 'error':
        throw new Error(`replaying ${taskId} in ${outcome.queue} failed: ${outcome.message}`);
    }
  }

  /** Live worker hosts (heartbeats), queues nobody serves, and version skew between hosts. */
  @Get('workers')
  async workers(): Promise<WorkersReport> {
    return workersReport(await this.heartbeats.live(), this.registry.queues());
  }

  private get registry(): ExtensionRegistry {
    return this.sources.registry;
  }

  private readonly queueOf = (name: string) => this.sources.transport.queue(name);

  private queues(queue: string | undefined): string[] {
    if (queue === undefined) return this.registry.queues();
    if (!this.registry.queues().includes(queue)) {
      throw new BadRequestException([`queue must be one of ${this.registry.queues().join(', ')}`]);
    }
    return [queue];
  }

  private limit(limit: string | undefined): number {
    if (limit === undefined) return 50;
    if (!/^[1-9]\d*$/.test(limit) || Number(limit) > MAX_LIMIT) {
      throw new BadRequestException([`limit must be a whole number from 1 to ${MAX_LIMIT}`]);
    }
    return Number(limit);
  }
}
