import { BooleanSetting, HostSettings } from '@coordinator/core/runtime';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DEFAULT_STALLED_JOB_SETTINGS } from './consumers/stalled-jobs.js';

/**
 * The worker host's environment: the shared {@link HostSettings} plus the queues it
 * serves, how many jobs at once, and its health port. Property names are the variable names.
 *
 * @example
 * ```ts
 * const settings = loadSettings(WorkerHostSettings, process.env);
 * ```
 */
export class WorkerHostSettings extends HostSettings {
  /** Comma-separated queues this host serves; all queues of the loaded extensions when unset. */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*(,\s*[a-z][a-z0-9-]*)*$/, {
    message: 'COORDINATOR_QUEUES must be comma-separated queue names, like orders,payments',
  })
  COORDINATOR_QUEUES?: string;

  /** Jobs run at once per queue: `10`, or per queue `orders=20,payments=5,*=10`. */
  @Matches(/^(\d+|([a-z*][a-z0-9-]*=\d+)(,\s*[a-z*][a-z0-9-]*=\d+)*)$/, {
    message: 'COORDINATOR_CONCURRENCY must be a number or queue=number pairs, like orders=20,*=10',
  })
  COORDINATOR_CONCURRENCY: string = '10';

  @IsInt()
  @Min(0)
  @Max(65535)
  HEALTH_PORT: number = 3001;

  /** How long SIGTERM lets running jobs finish before the worker closes anyway. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 25_000;

  /** How long a running job's lock lasts; renewed every half of it (see `StalledJobSettings`). */
  @IsInt()
  @Min(1_000)
  WORKER_LOCK_DURATION_MS: number = DEFAULT_STALLED_JOB_SETTINGS.lockDurationMs;

  /** How often this host looks for jobs whose lock expired (their worker died). */
  @IsInt()
  @Min(1_000)
  WORKER_STALLED_INTERVAL_MS: number = DEFAULT_STALLED_JOB_SETTINGS.stalledIntervalMs;

  /** Stalls a job survives before it is failed (a job that keeps killing its worker). */
  @IsInt()
  @Min(1)
  WORKER_MAX_STALLED_COUNT: number = DEFAULT_STALLED_JOB_SETTINGS.maxStalledCount;

  /** Prometheus metrics on `GET /metrics` of the health port. */
  @BooleanSetting()
  METRICS_ENABLED: boolean = true;
}

/** `orders=20,*=5` → concurrency of `queue`. */
export function concurrencyOf(spec: string, queue: string): number {
  if (/^\d+$/.test(spec)) return Number(spec);
  const pairs = new Map(
    spec.split(',').map((pair) => {
      const [name, value] = pair.trim().split('=');
      return [name!, Number(value)] as const;
    }),
  );
  return pairs.get(queue) ?? pairs.get('*') ?? 10;
}
