/*
 * Counts at the delivery level, like Jepsen's queue checker: of the tasks the API accepted
 * (202), how many ran to completion with every job they caused (lost otherwise), how many
 * jobs failed, and how often jobs were handed out more than once. Duplicated deliveries are
 * expected under at-least-once delivery: they are reported, and the effect level shows
 * whether any of them did something twice.
 */
import type { JobCensus, JobRecord } from './job-census.js';

/** The jobs one order causes when everything works, and those a cancellation adds. */
export const ORDER_STEPS = [
  'orders.submit',
  'payments.create-payment',
  'payments.capture-payment',
  'payments.process-event',
  'orders.fulfil',
] as const;
export const CANCEL_STEPS = ['orders.cancel', 'payments.refund'] as const;

export interface DeliveryCounts {
  /** Tasks the API answered 202 for. */
  accepted: number;
  /** Jobs found for them: the accepted tasks and every job they caused. */
  jobs: number;
  completed: number;
  /** Jobs in a failed set (dead letters). */
  failed: number;
  /** Jobs neither completed nor failed when the drain ended. */
  unfinished: number;
  /** Accepted tasks whose work did not complete: a job unfinished, failed or missing, or a step never enqueued. */
  lost: number;
  /** Completed jobs that had stalled: their worker died or lost the lock, and another ran them. */
  recovered: number;
  /** Jobs started more than once (redelivered, retried or deferred): expected under at-least-once. */
  duplicated: number;
  /** Jobs with more than one attempt made (an attempt failed and was retried). */
  retried: number;
  /** Jobs that stalled at least once, whatever became of them. */
  stalled: number;
  /** Attempts started, over all jobs. */
  starts: number;
  /** Steps (task names) missing from otherwise accepted orders. */
  missingSteps: Record<string, number>;
  examples: { lost: string[]; failed: string[] };
}

export interface OrderWork {
  orderId: string;
  /** The task id of the 202: checked even if Redis lost its correlation index. */
  taskId: string;
  cancelled?: boolean;
  /** Task names that must each have a completed job; the order flow's steps when unset. */
  steps?: readonly string[];
}

/** Reads every job of `orders` and counts; also returns the records for scenario-specific checks. */
export async function checkDelivery(
  census: JobCensus,
  orders: readonly OrderWork[],
  withPayload: readonly string[] = [],
): Promise<{ counts: DeliveryCounts; jobsByOrder: Map<string, JobRecord[]> }> {
  const tasksByOrder = await census.tasksOfOrders(orders.map((o) => o.orderId));
  const ids: string[] = [];
  for (const order of orders) {
    const tasks = new Set(tasksByOrder.get(order.orderId) ?? []);
    tasks.add(order.taskId);
    tasksByOrder.set(order.orderId, [...tasks]);
    ids.push(...tasks);
  }
  const records = new Map((await census.jobs(ids, withPayload)).map((r) => [r.id, r]));
  const jobsByOrder = new Map<string, JobRecord[]>();
  for (const order of orders) {
    jobsByOrder.set(
      order.orderId,
      (tasksByOrder.get(order.orderId) ?? []).map((id) => records.get(id)!),
    );
  }
  return { counts: countDelivery(orders, jobsByOrder), jobsByOrder };
}

/** The counts for records already read; exported for the checker's own spec. */
export function countDelivery(orders: readonly OrderWork[], jobsByOrder: Map<string, JobRecord[]>): DeliveryCounts {
  const counts: DeliveryCounts = {
    accepted: orders.length,
    jobs: 0,
    completed: 0,
    failed: 0,
    unfinished: 0,
    lost: 0,
    recovered: 0,
    duplicated: 0,
    retried: 0,
    stalled: 0,
    starts: 0,
    missingSteps: {},
    examples: { lost: [], failed: [] },
  };
  for (const order of orders) {
    const jobs = jobsByOrder.get(order.orderId) ?? [];
    let incomplete: string | undefined;
    for (const job of jobs) {
      counts.jobs += job.state === 'missing' ? 0 : 1;
      counts.starts += job.attemptsStarted;
      if (job.attemptsStarted > 1) counts.duplicated += 1;
      if (job.attemptsMade > 1) counts.retried += 1;
      if (job.stalled > 0) counts.stalled += 1;
      if (job.state === 'completed') {
        counts.completed += 1;
        if (job.stalled > 0) counts.recovered += 1;
        continue;
      }
      if (job.state === 'failed') {
        counts.failed += 1;
        if (counts.examples.failed.length < 5) counts.examples.failed.push(`${job.id}: ${job.failedReason ?? '?'}`);
      } else if (job.state === 'unfinished') {
        counts.unfinished += 1;
      }
      incomplete ??= `${job.id} ${job.state}`;
    }
    const steps = order.steps ?? [...ORDER_STEPS, ...(order.cancelled ? CANCEL_STEPS : [])];
    for (const step of steps) {
      if (jobs.some((j) => j.task === step && j.state === 'completed')) continue;
      if (!jobs.some((j) => j.task === step)) counts.missingSteps[step] = (counts.missingSteps[step] ?? 0) + 1;
      incomplete ??= `${step} not completed`;
    }
    if (incomplete !== undefined) {
      counts.lost += 1;
      if (counts.examples.lost.length < 5) counts.examples.lost.push(`order ${order.orderId}: ${incomplete}`);
    }
  }
  return counts;
}
