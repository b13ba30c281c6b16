import type { WorkerHost } from '@nestjs/bullmq';
import { coalesceWrites, type CoalescableClient } from '@coordinator/core/runtime';
import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ConnectionWatchdog,
  DEFAULT_CONNECTION_WATCHDOG,
  type ConnectionWatchdogOptions,
} from './connection-watchdog.js';

/** Resolves when Redis answers, rejects otherwise. */
export type RedisProbe = () => Promise<void>;

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The host's BullMQ workers and their graceful shutdown, which runs before Nest's own:
 * stop fetching and let running jobs finish for up to the grace period, then close.
 * Jobs still running then stay locked until BullMQ's stalled-job check hands them to
 * another worker. With Redis unreachable nothing can finish, so the workers close at once.
 * While running, a {@link ConnectionWatchdog} resets connections that died silently.
 */
export class WorkerPool implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerPool');
  private readonly processors: WorkerHost[] = [];
  private readonly abort = new AbortController();
  private readonly lastErrorLog = new Map<string, { at: number; suppressed: number }>();

  private readonly watchdog: ConnectionWatchdog;

  constructor(
    private readonly graceMs: number,
    private readonly probe: RedisProbe = async () => undefined,
    watchdog: ConnectionWatchdogOptions = DEFAULT_CONNECTION_WATCHDOG,
  ) {
    this.watchdog = new ConnectionWatchdog(() => this.processors.map((p) => p.worker), watchdog);
  }

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

  /**
   * Logs a worker's connection errors at most once per interval per queue: while Redis
   * is down, ioredis reports every reconnect attempt, and the log should say so once.
   */
  reportError(queue: string, error: Error): void {
    const now = Date.now();
    const last = this.lastErrorLog.get(queue);
    if (last && now - last.at < ERROR_LOG_INTERVAL_MS) {
      last.suppressed += 1;
      return;
    }
    const repeated = last?.suppressed ? ` (${last.suppressed} more since the last report)` : '';
    this.logger.warn(`queue ${queue}: ${error.message}${repeated}`);
    this.lastErrorLog.set(queue, { at: now, suppressed: 0 });
  }

  onApplicationBootstrap(): void {
    if (this.processors.length > 0) this.watchdog.start();
    // Completing a job and fetching the next are several commands per job on a worker's
    // command connection; jobs that finish in the same turn share one socket write. A worker
    // that runs one job at a time never finishes two in a turn: there the cork would only hold
    // each job's write back until the turn ends, a setImmediate and a delay per job for nothing.
    for (const { worker } of this.processors) {
      if (worker.concurrency <= 1) continue;
      void (worker.backend as unknown as { client: Promise<CoalescableClient> }).client.then(
        coalesceWrites,
        () => undefined, // Not connected yet: the worker reports it, and writes go out one by one.
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.watchdog.stop();
    if (this.processors.length === 0) return;
    const workers = this.processors.map((p) => p.worker);
    const redisUp = await this.probe().then(
      () => true,
      () => false,
    );
    let finished = false;
    if (redisUp) {
      // pause() stops fetching and resolves once the running jobs have finished.
      const paused = Promise.all(workers.map((w) => w.pause())).then(() => true);
      finished = await Promise.race([paused, delay(this.graceMs).then(() => false)]);
      if (!finished) {
        this.logger.warn(`jobs still running after ${this.graceMs} ms; closing anyway (they will be recovered)`);
      }
    } else {
      this.logger.warn('Redis is unreachable: closing workers without waiting for running jobs');
    }
    // A forced close does not wait for jobs or for a blocked fetch on a dead connection.
    await Promise.race([Promise.all(workers.map((w) => w.close(!finished))), delay(2_000)]);
    // Only now: an aborted handler must not fail its job (and spend an attempt) first.
    if (!finished) this.abort.abort(new Error('worker host shutting down'));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
