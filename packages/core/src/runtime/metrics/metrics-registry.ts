import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/** Every metric a coordinator host exposes starts with this. */
export const METRICS_PREFIX = 'coordinator_';

/**
 * A fresh Prometheus registry for one host, with Node's process metrics (CPU, memory,
 * event loop lag, GC, handles) under {@link METRICS_PREFIX}. Each host has its own
 * registry, never prom-client's global one, so several hosts can share a process (tests).
 *
 * @example
 * ```ts
 * const register = createMetricsRegistry();
 * const text = await register.metrics();
 * ```
 */
export function createMetricsRegistry(options: { defaultMetrics?: boolean } = {}): Registry {
  const register = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register, prefix: METRICS_PREFIX });
  return register;
}

/** Failure counting of the collectors of one registry. */
export interface CollectFailures {
  /** Counts `promise`'s failures (it must settle with `true` when something failed) in this scrape. */
  track(collector: string, failed: Promise<boolean>): void;
}

const failuresOf = new WeakMap<Registry, CollectFailures>();

/**
 * `coordinator_metrics_collect_failures_total{collector}`: scrapes during which a
 * collector (queue depths, worker heartbeats) could not read Redis in time, so its
 * gauges were left empty rather than stale. One per registry, shared by the collectors;
 * a scrape reports the failures of its own reads.
 */
export function collectFailures(register: Registry): CollectFailures {
  const existing = failuresOf.get(register);
  if (existing) return existing;
  const pending = new Set<Promise<boolean>>();
  const counter = new Counter({
    name: `${METRICS_PREFIX}metrics_collect_failures_total`,
    help: 'Scrapes during which a collector could not read Redis in time; its gauges were left empty',
    labelNames: ['collector'],
    registers: [register],
    // Collected alongside the gauges: let their collects start, then wait for their
    // reads, so a scrape counts its own failures.
    async collect() {
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all(pending);
    },
  });
  const failures: CollectFailures = {
    track(collector, failed) {
      counter.inc({ collector }, 0);
      const tracked = failed.then(
        (yes) => {
          if (yes) counter.inc({ collector });
          return yes;
        },
        () => {
          counter.inc({ collector });
          return true;
        },
      );
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
    },
  };
  failuresOf.set(register, failures);
  return failures;
}

/** Settles with `promise`, or rejects after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
