import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * The API host's environment. Property names are the variable names.
 *
 * @example
 * ```ts
 * const settings = loadSettings(ApiHostSettings, process.env);
 * ```
 */
export class ApiHostSettings {
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  @IsString()
  @IsNotEmpty()
  COORDINATOR_EXTENSIONS!: string;

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
  @Matches(/^\{[^{}]+\}$|^[^{}]+$/, { message: 'COORDINATOR_PREFIX must be a key prefix such as {coordinator}' })
  COORDINATOR_PREFIX: string = '{coordinator}';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 10_000;

  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  LOG_JSON?: boolean;
}
