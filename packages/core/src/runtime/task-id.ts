import { hash, randomUUID } from 'node:crypto';

/*
 * A task id is `<task name>.<token>`, e.g. `orders.submit.4b1f…`. The task name in the
 * id lets `GET /tasks/:id` find the task's queue without searching every queue, and
 * BullMQ forbids `:` in custom ids, so the token is hex or a UUID.
 */

/** A fresh id for a task dispatched without an idempotency key. */
export function newTaskId(taskName: string): string {
  return `${taskName}.${randomUUID()}`;
}

/** The same id for the same task and origin, so enqueueing twice stores one job. */
export function derivedTaskId(taskName: string, ...origin: string[]): string {
  const token = hash('sha256', origin.join('\u0000'), 'hex').slice(0, 32);
  return `${taskName}.${token}`;
}

/** The task name an id starts with, or undefined when the id is not well-formed. */
export function taskNameOf(taskId: string): string | undefined {
  const cut = taskId.lastIndexOf('.');
  if (cut <= 0) return undefined;
  const token = taskId.slice(cut + 1);
  return /^[0-9a-f-]{8,64}$/.test(token) ? taskId.slice(0, cut) : undefined;
}
