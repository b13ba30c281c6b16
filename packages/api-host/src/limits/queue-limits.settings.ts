import { IsInt, IsOptional, IsString, Min } from 'class-validator';

/**
 * How many tasks may wait in a queue before the API host stops adding more: past the
 * cap a dispatch is answered 503 with `Retry-After` instead of filling Redis, which
 * (with `noeviction`) would otherwise run out of memory and stop every queue at once.
 *
 * @example
 * ```ts
 * const settings = loadSettings(QueueLimitsSettings, { QUEUE_MAX_WAITING_OVERRIDES: '{"payments":5000}' });
 * ```
 */
export class QueueLimitsSettings {
  /** Waiting tasks (waiting, prioritized or paused) allowed per queue; `0` means unbounded. */
  @IsInt()
  @Min(0)
  QUEUE_MAX_WAITING: number = 100_000;

  /**
   * JSON object of per-queue caps that replace `QUEUE_MAX_WAITING` for those queues,
   * e.g. `{"payments":5000,"orders":0}` (`0` = unbounded). Queue names are extension
   * names; a name no loaded extension has stops the host.
   */
  @IsOptional()
  @IsString()
  QUEUE_MAX_WAITING_OVERRIDES?: string;
}
