import { CoordinatorError } from './errors.js';

/**
 * A pipeline step threw (or returned something other than `proceed()`/`halt()`), so the
 * run failed: the steps after it did not run. The step's error is kept as `cause`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PipelineStepError) logger.warn(`${e.step} failed`, { cause: e.cause }); }
 * ```
 */
export class PipelineStepError extends CoordinatorError {
  constructor(
    readonly pipeline: string,
    readonly step: string,
    cause: unknown,
  ) {
    super(`pipeline "${pipeline}" failed at step "${step}": ${messageOf(cause)}`, { cause });
  }
}

/**
 * A pipeline run did not finish within its `timeoutMs`; the running step's
 * `ctx.signal` has fired and the steps after it did not run.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PipelineTimeoutError) reply.code(504); }
 * ```
 */
export class PipelineTimeoutError extends CoordinatorError {
  constructor(
    readonly pipeline: string,
    /** The step that was running when time ran out. */
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`pipeline "${pipeline}" timed out after ${timeoutMs} ms in step "${step}"`);
  }
}

function messageOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : (JSON.stringify(cause) ?? String(cause));
}
