import { Gauge, type Registry } from 'prom-client';
import { collectFailures, METRICS_PREFIX, withTimeout } from './metrics-registry.js';

/** The job states `coordinator_queue_jobs` reports, as BullMQ names them. */
export const QUEUE_JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;

/** A job state `coordinator_queue_jobs` reports. */
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** What the queue gauges read: BullMQ's `queue.getJobCounts(...states)`. */
export type JobCountsReader = (queue: string, states: readonly QueueJobState[]) => Promise<Record<string, number>>;

/**
 * Options of {@link registerQueueMetrics}.
 *
 * @example
 * ```ts
 * const options: QueueMetricsOptions = { queues: ['orders'], jobCounts: (q, s) => transport.queue(q).getJobCounts(...s) };
 * ```
 */
export interface QueueMetricsOptions {
  /** The queues to report, each under its `queue` label. */
  queues: readonly string[];
  /** Reads one queue's counts per state. */
  jobCounts: JobCountsReader;
  /** How long one scrape may wait for Redis; queues that did not answer report nothing. Default 1000. */
  timeoutMs?: number;
}

/**
 * Registers the queue gauges, read from Redis on each scrape (within `timeoutMs`):
 * `coordinator_queue_jobs{queue,state}` and `coordinator_dead_letters{queue}` (the failed
 * set: jobs that ran out of attempts or failed permanently, kept for inspection). A queue
 * that cannot be read reports no sample for that scrape, never a stale or made-up one.
 *
 * @example
 * ```ts
 * registerQueueMetrics(register, { queues: registry.queues(), jobCounts: (q, s) => transport.queue(q).getJobCounts(...s) });
 * ```
 */
export function registerQueueMetrics(register: Registry, options: QueueMetricsOptions): void {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const failures = collectFailures(register);
  // Both gauges are collected in the same scrape: they share one round of reads, the
  // one still in flight. A later scrape reads again.
  let inFlight: Promise<Map<string, Record<string, number>>> | undefined;
  const sample = () => {
    if (!inFlight) {
      const counts = read();
      failures.track(
        'queues',
        counts.then((c) => c.size < options.queues.length),
      );
      inFlight = counts.finally(() => (inFlight = undefined));
    }
    return inFlight;
  };
  const read = async () => {
    const settled = await Promise.allSettled(
      options.queues.map((queue) =>
        withTimeout(options.jobCounts(queue, QUEUE_JOB_STATES), timeoutMs, `job counts of ${queue}`),
      ),
    );
    const counts = new Map<string, Record<string, number>>();
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') counts.set(options.queues[i]!, result.value);
    });
    return counts;
  };

  new Gauge({
    name: `${METRICS_PREFIX}queue_jobs`,
    help: 'Jobs per queue and state, read from Redis at scrape time',
    labelNames: ['queue', 'state'],
    registers: [register],
    async collect() {
      const counts = await sample();
      this.reset();
      for (const [queue, byState] of counts) {
        for (const state of QUEUE_JOB_STATES) this.set({ queue, state }, byState[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: `${METRICS_PREFIX}dead_letters`,
    help: 'Jobs in the failed set per queue: out of attempts or failed permanently, kept for inspection',
    labelNames: ['queue'],
    registers: [register],
    async collect() {
      const counts = await sample();
      this.reset();
      for (const [queue, byState] of counts) this.set({ queue }, byState['failed'] ?? 0);
    },
  });
}
