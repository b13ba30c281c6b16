/**
 * Base class of the coordinator's errors. The subclass name says what happens next.
 *
 * @example
 * ```ts
 * if (error instanceof CoordinatorError) logger.warn(error.message);
 * ```
 */
export abstract class CoordinatorError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * Throw from a task handler when the failure is transient (a timeout, a 5xx, a reset
 * connection): the task is retried with its backoff until its attempts run out.
 * Any other `Error` a handler throws is treated the same way.
 *
 * @example
 * ```ts
 * if (response.status >= 500) throw new RetryableError(`OMS answered ${response.status}`);
 * ```
 */
export class RetryableError extends CoordinatorError {}

/**
 * Throw from a task handler when retrying cannot help (the downstream rejected the
 * request as invalid, the order does not exist): the task fails at once, without
 * further attempts, and stays in the failed set with this message as its reason.
 *
 * @example
 * ```ts
 * if (response.status === 422) throw new PermanentError('OMS rejected the order: unknown SKU');
 * ```
 */
export class PermanentError extends CoordinatorError {}

/**
 * A payload did not satisfy its DTO. At dispatch the API answers 400 naming the
 * fields; in a worker the task fails permanently with this message.
 *
 * @example
 * ```ts
 * try { await dispatcher.dispatch(task, body); }
 * catch (e) { if (e instanceof PayloadValidationError) console.log(e.fields); }
 * ```
 */
export class PayloadValidationError extends PermanentError {
  constructor(
    readonly target: string,
    /** One line per offending property path, e.g. `items.0.quantity must be a positive number`. */
    readonly fields: readonly string[],
  ) {
    super(`invalid ${target}: ${fields.join('; ')}`);
  }
}

/**
 * A dispatch reused an idempotency key with a different payload. Nothing was stored;
 * the API answers 422, as the key's first use is what it stands for.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof IdempotencyConflictError) reply.code(422); }
 * ```
 */
export class IdempotencyConflictError extends CoordinatorError {}

/**
 * The queue could not store a task (Redis down, unreachable or too slow). Nothing
 * was accepted: the API answers 503 so the caller retries.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof QueueUnavailableError) reply.code(503); }
 * ```
 */
export class QueueUnavailableError extends CoordinatorError {}

/**
 * The queue already holds as many waiting tasks as the deployment allows
 * (`QUEUE_MAX_WAITING`), so the API host refused to add another one. Nothing was
 * stored; like any {@link QueueUnavailableError} the API answers 503 with `Retry-After`,
 * and the response names the queue.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof QueueFullError) logger.warn(`${e.queue} is backed up`); }
 * ```
 */
export class QueueFullError extends QueueUnavailableError {
  constructor(
    /** The queue that is full. */
    readonly queue: string,
    /** How many tasks were waiting when the host last looked. */
    readonly waiting: number,
    /** The configured cap on waiting tasks for that queue. */
    readonly limit: number,
  ) {
    super(`queue "${queue}" is full: ${waiting} tasks waiting, limit ${limit}`);
  }
}

/**
 * A task did not finish within its `timeoutMs`; its AbortSignal has fired. Retryable.
 *
 * @example
 * ```ts
 * if (error instanceof TaskTimeoutError) metrics.timeouts.inc();
 * ```
 */
export class TaskTimeoutError extends RetryableError {}
