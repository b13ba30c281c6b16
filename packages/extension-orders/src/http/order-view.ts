import type { TaskStatus } from '@coordinator/core';

/**
 * Where an order stands, as far as the coordinator knows: from its tasks, not from
 * order management (the API host never calls a downstream service).
 */
export type OrderStage = 'accepted' | 'submitted' | 'fulfilled' | 'cancelled' | 'needs-attention' | 'failed';

/**
 * Answer of `GET /orders/:id`.
 *
 * @example
 * ```json
 * { "orderId": "…", "stage": "fulfilled", "tasks": [{ "task": "orders.submit", "state": "completed", … }] }
 * ```
 */
export interface OrderView {
  orderId: string;
  stage: OrderStage;
  tasks: Pick<
    TaskStatus,
    'taskId' | 'task' | 'state' | 'attemptsMade' | 'enqueuedAt' | 'finishedAt' | 'failureReason'
  >[];
}

/** The correlation id that groups every task about one order, across both extensions. */
export function orderCorrelation(orderId: string): string {
  return `order-${orderId}`;
}

/** Builds the view; later steps win (a cancelled order stays cancelled whatever else ran). */
export function orderView(orderId: string, statuses: readonly TaskStatus[]): OrderView {
  const done = (task: string) => statuses.some((s) => s.task === task && s.state === 'completed');
  const failed = (task: string) => statuses.some((s) => s.task === task && s.state === 'failed');
  const stage: OrderStage = done('orders.cancel')
    ? 'cancelled'
    : done('orders.fulfil')
      ? 'fulfilled'
      : done('orders.flag-for-attention')
        ? 'needs-attention'
        : done('orders.submit')
          ? 'submitted'
          : failed('orders.submit')
            ? 'failed'
            : 'accepted';
  return {
    orderId,
    stage,
    tasks: statuses.map(({ taskId, task, state, attemptsMade, enqueuedAt, finishedAt, failureReason }) => ({
      taskId,
      task,
      state,
      attemptsMade,
      enqueuedAt,
      ...(finishedAt ? { finishedAt } : {}),
      ...(failureReason ? { failureReason } : {}),
    })),
  };
}
