import type { TaskStatus } from '@coordinator/core';

/** `PayloadValidationError` in the worker: "invalid payload of orders.submit: …". */
const PAYLOAD_REJECTED = /^invalid payload of /;
/** Nest could not build the handler or one of its dependencies. */
const HANDLER_UNRESOLVABLE = /can't resolve dependencies|could not find .* element|is not a registered provider/i;

/**
 * Problems with how a task dispatched from its sample ended. It must finish; it may
 * complete, or fail for a reason of its own (a downstream that is missing in the test
 * is one), but not because the worker rejected its payload or could not create its
 * handler: those mean the extension breaks its contract.
 *
 * @example
 * ```ts
 * checkTaskOutcome('orders.submit', { ...status, state: 'failed', failureReason: 'invalid payload of orders.submit: …' });
 * // ['task "orders.submit" failed on its payload: invalid payload of orders.submit: …']
 * ```
 */
export function checkTaskOutcome(
  task: string,
  status: TaskStatus | undefined,
  /** The reason of the latest failed attempt, shown when the task has not finished. */
  lastFailure?: string,
): string[] {
  if (!status) return [`task "${task}" has no status after it was dispatched`];
  if (status.state === 'completed') return [];
  if (status.state !== 'failed') {
    const attempts = `${status.attemptsMade} of ${status.maxAttempts} attempts`;
    return [
      `task "${task}" did not finish: still ${status.state} after ${attempts}${lastFailure ? `; last failure: ${lastFailure}` : ''}`,
    ];
  }
  const reason = status.failureReason ?? '(no reason recorded)';
  if (PAYLOAD_REJECTED.test(reason)) return [`task "${task}" failed on its payload: ${reason}`];
  if (HANDLER_UNRESOLVABLE.test(reason))
    return [`task "${task}" failed because its handler cannot be created: ${reason}`];
  return [];
}
