import { BooleanSetting, HostSettings } from '@coordinator/core/runtime';
import { IsInt, Max, Min } from 'class-validator';

/**
 * The API host's environment: the shared {@link HostSettings} plus its listener.
 * Property names are the variable names.
 *
 * @example
 * ```ts
 * const settings = loadSettings(ApiHostSettings, process.env);
 * ```
 */
export class ApiHostSettings extends HostSettings {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 10_000;

  /** Prometheus metrics on `GET /metrics`. */
  @BooleanSetting()
  METRICS_ENABLED: boolean = true;
}
