import {
  collectFailures,
  createMetricsRegistry,
  EnqueueMetrics,
  METRICS_PREFIX,
  registerQueueMetrics,
  type ExtensionRegistry,
  type JobCountsReader,
  type WorkerHeartbeat,
} from '@coordinator/core/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { heartbeatAgeSeconds, type WorkerDirectory } from '../health/worker-coverage.js';

/** Request durations in seconds: the API answers from Redis, so mostly milliseconds. */
export const HTTP_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The `route` label of a request that matched no route (a 404), so raw URLs never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Everything the API host measures, in its own registry:
 *
 * - process metrics (`coordinator_process_*`, `coordinator_nodejs_*`);
 * - `coordinator_http_requests_total{method,route,status}` and
 *   `coordinator_http_request_duration_seconds{method,route,status}`, with the route
 *   pattern (`/orders/:id`), never the raw URL;
 * - `coordinator_tasks_enqueued_total{task}` through {@link ApiMetrics.enqueued}, the
 *   observer to hand the transport;
 * - queue depths (`coordinator_queue_jobs{queue,state}`, `coordinator_dead_letters{queue}`)
 *   and worker coverage (`coordinator_worker_heartbeat_age_seconds{worker}`,
 *   `coordinator_queue_workers{queue}`), read from Redis on each scrape.
 *
 * Circuit breakers live in the worker hosts, where tasks call downstreams: their state
 * is the worker host's `coordinator_breaker_state`.
 *
 * @example
 * ```ts
 * const metrics = new ApiMetrics(registry);
 * const transport = new BullMqTransport(registry, { redisUrl, observers: new ObserverList([metrics.enqueued]) });
 * ```
 */
export class ApiMetrics {
  readonly register: Registry;
  /** Observer for the transport's dispatcher. */
  readonly enqueued: EnqueueMetrics;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly registry: ExtensionRegistry,
    register: Registry = createMetricsRegistry(),
  ) {
    this.register = register;
    this.enqueued = new EnqueueMetrics(
      register,
      registry.allTasks().map((task) => task.definition.name),
    );
    this.requests = new Counter({
      name: `${METRICS_PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [register],
    });
    this.durations = new Histogram({
      name: `${METRICS_PREFIX}http_request_duration_seconds`,
      help: 'Time from receiving a request to sending its response, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [register],
    });
  }

  /** Records one answered request; `route` is the matched pattern or {@link UNMATCHED_ROUTE}. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, seconds);
  }

  /** Adds the queue depth gauges of `queues` (every configured queue by default). */
  watchQueues(jobCounts: JobCountsReader, queues: readonly string[] = this.registry.queues()): void {
    registerQueueMetrics(this.register, { queues, jobCounts });
  }

  /**
   * Adds `coordinator_worker_heartbeat_age_seconds{worker}` (per live worker host) and
   * `coordinator_queue_workers{queue}` (live hosts per configured queue, 0 when none),
   * read from the heartbeats on each scrape within `timeoutMs`.
   */
  watchWorkers(directory: WorkerDirectory, timeoutMs = 1_000): void {
    const queues = this.registry.queues();
    const failures = collectFailures(this.register);
    // Both gauges are collected in the same scrape: they share the read still in flight.
    let inFlight: { at: number; live: Promise<WorkerHeartbeat[] | undefined> } | undefined;
    const sample = () => {
      if (!inFlight) {
        const at = Date.now();
        const live = readWithin(directory.live(at), timeoutMs);
        failures.track(
          'workers',
          live.then((l) => l === undefined),
        );
        const current = { at, live };
        inFlight = current;
        void live.finally(() => {
          if (inFlight === current) inFlight = undefined;
        });
      }
      return inFlight;
    };
    new Gauge({
      name: `${METRICS_PREFIX}worker_heartbeat_age_seconds`,
      help: 'Seconds since each live worker host last wrote its heartbeat (gone after 15 s without one)',
      labelNames: ['worker'],
      registers: [this.register],
      async collect() {
        const { at, live } = sample();
        const hosts = await live;
        this.reset();
        for (const host of hosts ?? []) this.set({ worker: host.id }, heartbeatAgeSeconds(host, at));
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}queue_workers`,
      help: 'Live worker hosts serving each configured queue; 0 means its tasks wait until one starts',
      labelNames: ['queue'],
      registers: [this.register],
      async collect() {
        const hosts = await sample().live;
        this.reset();
        if (!hosts) return;
        for (const queue of queues) this.set({ queue }, hosts.filter((h) => h.queues.includes(queue)).length);
      },
    });
  }

  /** The text exposition of every metric, for `GET /metrics`. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.register.contentType, body: await this.register.metrics() };
  }
}

/** The value, or undefined when it failed or took longer than `ms`. */
async function readWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
