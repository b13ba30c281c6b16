import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import type { WiringSettings } from './load-registry.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevelName } from './logging/host-logger.js';

/**
 * What to load and how to wire it: read by both hosts and by `coordinator wiring`,
 * which needs no Redis.
 *
 * @example
 * ```ts
 * const wiring = loadSettings(WiringEnvironment, process.env);
 * ```
 */
export class WiringEnvironment implements WiringSettings {
  /** Comma-separated extension package names or paths. */
  @IsString()
  @IsNotEmpty()
  COORDINATOR_EXTENSIONS!: string;

  /** JSON handler overrides keyed by handler id: `{"order.placed->payments.create-payment": {"enabled": false}}`. */
  @IsOptional()
  @IsString()
  COORDINATOR_WIRING?: string;

  /** JSON step lists per pipeline, replacing their defaultSteps. */
  @IsOptional()
  @IsString()
  COORDINATOR_PIPELINES?: string;

  /** Comma-separated extension names to load even though their `coreRange` excludes this core. */
  @IsOptional()
  @IsString()
  COORDINATOR_ALLOW_INCOMPATIBLE?: string;
}

/**
 * The environment both hosts read: where Redis is, what to load and how to wire it.
 * Each host's settings class extends it with its own variables.
 *
 * @example
 * ```ts
 * class ApiHostSettings extends HostSettings { @IsInt() PORT: number = 3000; }
 * ```
 */
export class HostSettings extends WiringEnvironment {
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** Key prefix of every queue; the braces make it a Redis Cluster hash tag. */
  @IsString()
  @Matches(/^\{[^{}]+\}$|^[^{}]+$/, { message: 'COORDINATOR_PREFIX must be a key prefix such as {coordinator}' })
  COORDINATOR_PREFIX: string = '{coordinator}';

  @IsString()
  HOST: string = '0.0.0.0';

  /** The least severe level logged: `trace`, `debug`, `info`, `warn`, `error`, `fatal`, or `silent` for none. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevelName = 'info';

  /** `json` (one JSON object per line) or `pretty` (one readable line per record, for people). */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT: LogFormat = 'json';
}
