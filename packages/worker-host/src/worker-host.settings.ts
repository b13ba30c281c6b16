import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * The worker host's environment. Property names are the variable names.
 *
 * @example
 * ```ts
 * const settings = loadSettings(WorkerHostSettings, process.env);
 * ```
 */
export class WorkerHostSettings {
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  @IsString()
  @IsNotEmpty()
  COORDINATOR_EXTENSIONS!: string;

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

  @IsOptional()
  @IsString()
  COORDINATOR_WIRING?: string;

  /** Comma-separated extension names to load even though their `coreRange` excludes this core. */
  @IsOptional()
  @IsString()
  COORDINATOR_ALLOW_INCOMPATIBLE?: string;

  /** JSON step lists per pipeline, replacing their defaultSteps: `{"payments.receipt": ["payments.find-intent"]}`. */
  @IsOptional()
  @IsString()
  COORDINATOR_PIPELINES?: string;

  @IsString()
  COORDINATOR_PREFIX: string = '{coordinator}';

  @IsInt()
  @Min(0)
  @Max(65535)
  HEALTH_PORT: number = 3001;

  @IsString()
  HOST: string = '0.0.0.0';

  /** How long SIGTERM lets running jobs finish before the worker closes anyway. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 25_000;
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
