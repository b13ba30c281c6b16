import type { Type } from '@nestjs/common';
import { PermanentError, TaskTimeoutError } from '../contract/errors.js';
import type { TaskContext, TaskHandler } from '../contract/task-context.js';
import { validatePayload } from '../validation/validate-payload.js';
import type { ExtensionRegistry } from './extension-registry.js';
import type { JobEnvelope, JobOutcome } from './job-envelope.js';
import type { QueueDispatcher } from './queue-dispatcher.js';
import { createTaskLogger } from './task-logger.js';
import { ObserverList, type ObservedJob } from './task-observer.js';

/** One run of a job, as a transport hands it over. */
export interface JobRun {
  taskId: string;
  /** The task name (BullMQ's job name). */
  name: string;
  data: JobEnvelope;
  /** 1-based number of this run. */
  attempt: number;
  maxAttempts: number;
  /** Fires when the host shuts down and its grace period is over. */
  shutdownSignal?: AbortSignal;
}

/** Creates (or finds) a handler instance through the worker host's dependency injection. */
export type HandlerResolver = <T>(type: Type<T>) => T;

/**
 * Runs one attempt of a job: finds its task, validates the payload again, runs the
 * handler with its context and timeout, and says what happens next through the error
 * it throws: {@link PermanentError} means no retry, anything else retries.
 */
export class TaskExecutor {
  constructor(
    private readonly registry: ExtensionRegistry,
    private readonly resolveHandler: HandlerResolver,
    private readonly dispatcher: QueueDispatcher,
    private readonly observers: ObserverList = new ObserverList(),
  ) {}

  async execute(run: JobRun): Promise<JobOutcome> {
    const observed: ObservedJob = { taskId: run.taskId, task: run.name, attempt: run.attempt, meta: run.data.meta };
    this.observers.taskStarted(observed);
    try {
      const outcome = await this.attempt(run);
      this.observers.taskCompleted(observed, outcome.result);
      return outcome;
    } catch (raw) {
      const error = asError(raw);
      const willRetry = !(error instanceof PermanentError) && run.attempt < run.maxAttempts;
      const logger = createTaskLogger(run.name, run.taskId, run.attempt);
      if (willRetry) logger.warn('attempt failed; will retry', { reason: error.message });
      else logger.error('task failed', { reason: error.message, permanent: error instanceof PermanentError });
      this.observers.taskFailed(observed, error.message, willRetry);
      throw error;
    }
  }

  private async attempt(run: JobRun): Promise<JobOutcome> {
    const task = this.registry.findTask(run.name);
    if (!task) throw new PermanentError(`no loaded extension defines task "${run.name}"`);
    const definition = task.definition;
    const payload = await validatePayload(definition.payload, run.data.payload, `payload of ${definition.name}`);
    const handler = this.resolveHandler<TaskHandler<object>>(definition.handler);

    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new TaskTimeoutError(`${definition.name} timed out after ${definition.timeoutMs} ms`)),
      definition.timeoutMs,
    );
    const signal = run.shutdownSignal ? AbortSignal.any([timeout.signal, run.shutdownSignal]) : timeout.signal;
    const emitted: JobOutcome['emitted'] = [];
    const ctx: TaskContext = {
      taskId: run.taskId,
      taskName: definition.name,
      attempt: run.attempt,
      maxAttempts: run.maxAttempts,
      idempotencyKey: run.taskId,
      signal,
      logger: createTaskLogger(definition.name, run.taskId, run.attempt),
      emit: async (signalDefinition, signalPayload, options = {}) => {
        const receipts = await this.dispatcher.emitSignal(signalDefinition, signalPayload, {
          taskId: run.taskId,
          key: options.key ?? '',
          correlationId: run.data.meta.correlationId,
        });
        emitted.push({ signal: signalDefinition.name, taskIds: receipts.map((r) => r.taskId) });
      },
      dispatch: (followUp, followUpPayload, options = {}) =>
        this.dispatcher.dispatch(followUp, followUpPayload, {
          idempotencyKey: `follow-up|${run.taskId}|${options.key ?? ''}`,
          correlationId: run.data.meta.correlationId,
          delayMs: options.delayMs,
        }),
    };
    try {
      const result = await Promise.race([handler.run(payload, ctx), rejectOnAbort(signal)]);
      return { result: result ?? null, emitted };
    } finally {
      clearTimeout(timer);
    }
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(asError(signal.reason));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** Handlers may throw anything; the queue needs an Error with a message. */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(`non-error thrown: ${typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))}`);
}
