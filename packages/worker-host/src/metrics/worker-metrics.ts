import {
  createMetricsRegistry,
  EnqueueMetrics,
  registerQueueMetrics,
  type ExtensionRegistry,
  type JobCountsReader,
} from '@coordinator/core/runtime';
import type { Registry } from 'prom-client';
import type { MetricsScrape } from '../health/health-server.js';
import { BreakerMetrics } from './breaker-metrics.js';
import { TaskRunMetrics } from './task-run-metrics.js';

/**
 * Everything the worker host measures, in its own registry: process metrics, the task
 * run metrics ({@link TaskRunMetrics}), `coordinator_tasks_enqueued_total` for signals
 * and follow-ups its handlers emit, the depths of the queues it serves, and the state of
 * the circuit breaker of every downstream its served tasks call ({@link BreakerMetrics}).
 *
 * @example
 * ```ts
 * const metrics = new WorkerMetrics(registry, ['orders']);
 * metrics.watchQueues((queue, states) => transport.queue(queue).getJobCounts(...states));
 * metrics.breakers.watch(guards);
 * ```
 */
export class WorkerMetrics {
  readonly register: Registry;
  /** Observer for the executor (`createWorkerHost({ observers })`). */
  readonly runs: TaskRunMetrics;
  /** Observer for the transport's dispatcher (signals and follow-ups emitted by handlers). */
  readonly enqueued: EnqueueMetrics;
  /** `coordinator_breaker_state`; follow the host's guards with `breakers.watch(guards)`. */
  readonly breakers: BreakerMetrics;

  constructor(
    registry: ExtensionRegistry,
    private readonly queues: readonly string[],
    register: Registry = createMetricsRegistry(),
  ) {
    this.register = register;
    const served = registry
      .allTasks()
      .filter((task) => registry.queuesOfTask(task.definition.name).some((q) => queues.includes(q)));
    this.runs = new TaskRunMetrics(
      register,
      served.map((task) => task.definition.name),
    );
    this.enqueued = new EnqueueMetrics(register);
    // A task defined by an older core has no downstreams.
    const downstreams = new Set(served.flatMap((task) => (task.definition.downstreams ?? []).map((d) => d.name)));
    this.breakers = new BreakerMetrics(register, [...downstreams]);
  }

  /** Adds `coordinator_queue_jobs` and `coordinator_dead_letters` for the served queues. */
  watchQueues(jobCounts: JobCountsReader): void {
    registerQueueMetrics(this.register, { queues: this.queues, jobCounts });
  }

  /** The text exposition of every metric, for `GET /metrics`. */
  async scrape(): Promise<MetricsScrape> {
    return { contentType: this.register.contentType, body: await this.register.metrics() };
  }
}
