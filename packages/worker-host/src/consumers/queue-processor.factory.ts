import { PermanentError } from '@coordinator/core';
import { JobDeferral, type JobEnvelope, type JobOutcome, type TaskExecutor } from '@coordinator/core/runtime';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type Type } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import { TASK_EXECUTOR, WORKER_POOL } from '../worker-host.tokens.js';
import type { WorkerPool } from './worker-pool.js';

/**
 * Queues are known only once extensions are loaded, so each queue's processor class is
 * made here and decorated at run time with `@Processor`, which @nestjs/bullmq turns
 * into a BullMQ Worker with the host's connection and the queue's concurrency.
 */
export function createQueueProcessor(queue: string, options: Partial<WorkerOptions>): Type<WorkerHost> {
  class QueueProcessor extends WorkerHost {
    constructor(
      @Inject(TASK_EXECUTOR) private readonly executor: TaskExecutor,
      @Inject(WORKER_POOL) private readonly pool: WorkerPool,
    ) {
      super();
      pool.add(this);
    }

    async process(job: Job<JobEnvelope, JobOutcome>, token?: string): Promise<JobOutcome> {
      try {
        return await this.executor.execute({
          taskId: job.id!,
          name: job.name,
          data: job.data,
          // attemptsMade counts finished attempts; a stalled run that was recovered does not count.
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          shutdownSignal: this.pool.shutdownSignal,
          producerTrace: job.opts.telemetry?.metadata,
        });
      } catch (error) {
        if (error instanceof JobDeferral) {
          // Back to the delayed set with the attempt skipped; DelayedError tells BullMQ
          // the job has been moved, so it neither completes nor fails it.
          await job.moveToDelayed(Date.now() + error.delayMs, token);
          throw new DelayedError(error.message);
        }
        // BullMQ skips the remaining attempts only for its own UnrecoverableError.
        if (error instanceof PermanentError) throw new UnrecoverableError(error.message);
        throw error;
      }
    }

    @OnWorkerEvent('error')
    onError(error: Error): void {
      this.pool.reportError(queue, error);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `QueueProcessor(${queue})` });
  Processor(queue, options)(QueueProcessor);
  return QueueProcessor;
}
