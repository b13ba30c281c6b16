import { IsInt, Max, Min } from 'class-validator';

/**
 * Limits on what a request may make the API host do.
 *
 * @example
 * ```ts
 * const { BODY_LIMIT_BYTES } = loadSettings(RequestLimitsSettings, process.env);
 * ```
 */
export class RequestLimitsSettings {
  /** Largest request body, unless a route sets its own with `@BodyLimit`; larger ones get 413 unread. */
  @IsInt()
  @Min(1)
  @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 64 * 1024;
}
