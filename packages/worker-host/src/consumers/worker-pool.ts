import type { WorkerHost } from '@nestjs/bullmq';
import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * The host's BullMQ workers, closed gracefully before Nest's own shutdown: stop
 * fetching, let running jobs finish for up to the grace period, then close anyway.
 * Jobs still running then are left to BullMQ's stalled-job recovery on another worker.
 */
export class WorkerPool implements BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerPool');
  private readonly processors: WorkerHost[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly graceMs: number) {}

  /** Fires when the grace period is over: running handlers should stop. */
  get shutdownSignal(): AbortSignal {
    return this.abort.signal;
  }

  add(processor: WorkerHost): void {
    this.processors.push(processor);
  }

  isRunning(): boolean {
    return this.processors.length > 0 && this.processors.every((p) => p.worker.isRunning());
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.processors.length === 0) return;
    const closing = Promise.all(this.processors.map((p) => p.worker.close()));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), this.graceMs);
    });
    const outcome = await Promise.race([closing.then(() => 'closed' as const), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.logger.warn(`jobs still running after ${this.graceMs} ms; closing anyway (they will be recovered)`);
      await Promise.all(this.processors.map((p) => p.worker.close(true)));
      // Only now: an aborted handler must not fail its job (and spend an attempt) first.
      this.abort.abort(new Error('worker host shutting down'));
    }
  }
}
