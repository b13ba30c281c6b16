/*
 * The delivery level of the checker: every job a task caused, read straight from Redis
 * (BullMQ's job hash and its completed/failed sets), not through the API, so the count does
 * not depend on the code under test reporting itself correctly.
 *
 * Per job: `ats` attempts started (a start that never finished — a killed or deferred run —
 * counts too), `atm` attempts made (finished), `stc` how often it stalled (its worker died
 * or lost the lock, and it was handed out again).
 */
import { DEFAULT_QUEUE_PREFIX, correlationKey } from '@coordinator/core/runtime';
import { Redis } from 'ioredis';

export type JobState = 'completed' | 'failed' | 'unfinished' | 'missing';

export interface JobRecord {
  id: string;
  task: string;
  queue: string;
  state: JobState;
  attemptsStarted: number;
  attemptsMade: number;
  stalled: number;
  finishedOn?: number;
  failedReason?: string;
  /** `JobOutcome.result` of a completed job. */
  result?: unknown;
  /** Signals the job emitted (`JobOutcome.emitted`), with the jobs they caused. */
  emitted?: { signal: string; taskIds: string[] }[];
  /** The job's payload, read only for the tasks named in `withPayload`. */
  payload?: Record<string, unknown>;
}

const BATCH = 500;
// `name` is always set on a stored job: its absence means there is no such job.
const FIELDS = ['name', 'ats', 'atm', 'stc', 'finishedOn', 'failedReason', 'returnvalue'] as const;

/** Reads the jobs of many tasks from one Redis; `close()` when done. */
export class JobCensus {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {
    // Commands wait for a reconnect (a restarting Redis) instead of failing the count.
    this.redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  }

  /** The task ids of every job correlated with `order-<id>`, per order id. */
  async tasksOfOrders(orderIds: readonly string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    for (let i = 0; i < orderIds.length; i += BATCH) {
      const batch = orderIds.slice(i, i + BATCH);
      const pipeline = this.redis.pipeline();
      for (const id of batch) pipeline.zrange(correlationKey(this.prefix, `order-${id}`), '0', '-1');
      const replies = (await pipeline.exec()) ?? [];
      batch.forEach((id, n) => result.set(id, (replies[n]?.[1] as string[] | undefined) ?? []));
    }
    return result;
  }

  /** One record per task id, in the order given. */
  async jobs(taskIds: readonly string[], withPayload: readonly string[] = []): Promise<JobRecord[]> {
    const records: JobRecord[] = [];
    for (let i = 0; i < taskIds.length; i += BATCH) {
      const batch = taskIds.slice(i, i + BATCH);
      const pipeline = this.redis.pipeline();
      for (const id of batch) {
        const queue = queueOf(id);
        const key = `${this.prefix}:${queue}:${id}`;
        const fields: string[] = [...FIELDS];
        if (withPayload.includes(taskOf(id))) fields.push('data');
        pipeline.hmget(key, ...fields);
        pipeline.zscore(`${this.prefix}:${queue}:completed`, id);
        pipeline.zscore(`${this.prefix}:${queue}:failed`, id);
      }
      const replies = (await pipeline.exec()) ?? [];
      batch.forEach((id, n) => {
        const [fields, completed, failed] = [0, 1, 2].map((k) => replies[n * 3 + k]?.[1]);
        records.push(recordOf(id, fields as (string | null)[], completed !== null, failed !== null));
      });
    }
    return records;
  }

  /** Jobs in each queue's completed set: cheap, for "has consumption resumed". */
  async completedCount(queues: readonly string[]): Promise<number> {
    const counts = await Promise.all(queues.map((q) => this.redis.zcard(`${this.prefix}:${q}:completed`)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Task ids are `<task name>.<token>`; each extension's tasks run on the queue named after it. */
export function taskOf(taskId: string): string {
  return taskId.slice(0, taskId.lastIndexOf('.'));
}

function queueOf(taskId: string): string {
  return taskId.slice(0, taskId.indexOf('.'));
}

function recordOf(id: string, fields: (string | null)[] | undefined, completed: boolean, failed: boolean): JobRecord {
  const [name, ats, atm, stc, finishedOn, failedReason, returnvalue, data] = fields ?? [];
  const task = taskOf(id);
  const exists = typeof name === 'string';
  const record: JobRecord = {
    id,
    task,
    queue: queueOf(id),
    state: !exists ? 'missing' : completed ? 'completed' : failed ? 'failed' : 'unfinished',
    attemptsStarted: Number(ats ?? 0),
    attemptsMade: Number(atm ?? 0),
    stalled: Number(stc ?? 0),
  };
  if (finishedOn) record.finishedOn = Number(finishedOn);
  if (failedReason) record.failedReason = failedReason;
  if (completed && returnvalue) {
    const outcome = JSON.parse(returnvalue) as { result?: unknown; emitted?: JobRecord['emitted'] } | null;
    record.result = outcome?.result;
    if (outcome?.emitted) record.emitted = outcome.emitted;
  }
  if (data) {
    record.payload = (JSON.parse(data) as { payload?: Record<string, unknown> }).payload ?? {};
  }
  return record;
}
