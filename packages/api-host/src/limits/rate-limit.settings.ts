import { IsInt, Max, Min } from 'class-validator';

/**
 * How many requests one caller may make. The budget is per principal (`key:checkout`,
 * `jwt:<sub>`), or per client IP on public routes, and is kept in Redis so every
 * API host replica draws on the same one. Health checks and `GET /metrics` are exempt.
 *
 * @example
 * ```ts
 * const { RATE_LIMIT_MAX, RATE_LIMIT_WINDOW_MS } = loadSettings(RateLimitSettings, process.env);
 * ```
 */
export class RateLimitSettings {
  /**
   * Requests a caller may make per window, across all replicas; more are answered 429
   * with `Retry-After`. `0` turns rate limiting off (e.g. when a gateway in front does it).
   */
  @IsInt()
  @Min(0)
  RATE_LIMIT_MAX: number = 6000;

  /** Length of the fixed window `RATE_LIMIT_MAX` counts in, in milliseconds (one minute by default). */
  @IsInt()
  @Min(1000)
  @Max(24 * 3600 * 1000)
  RATE_LIMIT_WINDOW_MS: number = 60_000;
}
