/**
 * Where a task is in its life. `waiting` includes jobs waiting for a worker and
 * `delayed` jobs waiting for their retry backoff.
 */
export type TaskState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

/**
 * A task's state as `GET /tasks/:id` shows it.
 *
 * @example
 * ```ts
 * const status = await statusReader.get(receipt.taskId);
 * if (status?.state === 'failed') console.log(status.failureReason);
 * ```
 */
export interface TaskStatus {
  taskId: string;
  task: string;
  extension: string;
  state: TaskState;
  /** Runs started so far (1 while the first attempt is running). */
  attemptsMade: number;
  maxAttempts: number;
  enqueuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  result?: unknown;
  failureReason?: string;
  correlationId?: string;
  /**
   * The principal whose request led to the task. The API host shows a task only to its
   * owner (or an admin), answering 404 to anyone else.
   */
  owner?: string;
  /** Signals the task emitted and the handler tasks each one started. */
  emitted?: readonly EmittedSignal[];
}

/**
 * A signal a task emitted, with the ids of the handler tasks it enqueued.
 *
 * @example
 * ```ts
 * status.emitted?.[0]?.taskIds; // ['payments.create-intent.3f2a…']
 * ```
 */
export interface EmittedSignal {
  signal: string;
  taskIds: readonly string[];
}

/**
 * Reads task states. Inject it where an endpoint shows progress.
 *
 * @example
 * ```ts
 * constructor(private readonly tasks: TaskStatusReader) {}
 * ```
 */
export abstract class TaskStatusReader {
  /** The task's status, or `undefined` when no such task is known (or it expired). */
  abstract get(taskId: string): Promise<TaskStatus | undefined>;

  /** Every known task with this correlation id, oldest first (an empty list when none). */
  abstract listByCorrelation(correlationId: string): Promise<TaskStatus[]>;
}
