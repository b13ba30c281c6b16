import type { Type } from '@nestjs/common';
import { context, propagation, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { PermanentError, TaskTimeoutError } from '../contract/errors.js';
import type { TaskContext, TaskHandler, TaskLogger } from '../contract/task-context.js';
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

/** Without an SDK this is OpenTelemetry's no-op tracer: a span costs next to nothing. */
const tracer = trace.getTracer('@coordinator/core');

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

  /**
   * Runs the attempt inside its own span, `task <name>`: a child of the consumer span of
   * the queue's telemetry when there is one, else of the trace context stored in the job
   * by whoever enqueued it. Logs and signals emitted by the handler carry that context.
   */
  execute(run: JobRun): Promise<JobOutcome> {
    const extension = this.registry.findTask(run.name)?.extension.name ?? run.data.meta?.extension;
    const attributes = {
      'coordinator.task.name': run.name,
      'coordinator.task.id': run.taskId,
      'coordinator.task.attempt': run.attempt,
      'coordinator.task.max_attempts': run.maxAttempts,
      ...(extension ? { 'coordinator.extension': extension } : {}),
    };
    return tracer.startActiveSpan(`task ${run.name}`, { attributes }, parentContext(run), async (span) => {
      try {
        return await this.observe(run, extension);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private async observe(run: JobRun, extension: string | undefined): Promise<JobOutcome> {
    const observed: ObservedJob = { taskId: run.taskId, task: run.name, attempt: run.attempt, meta: run.data.meta };
    const logger = createTaskLogger(run.name, run.taskId, run.attempt, extension);
    const started = performance.now();
    this.observers.taskStarted(observed);
    try {
      const outcome = await this.attempt(run, logger);
      this.observers.taskCompleted(observed, outcome.result);
      logger.log('task completed', { durationMs: Math.round(performance.now() - started) });
      return outcome;
    } catch (raw) {
      const error = asError(raw);
      const willRetry = !(error instanceof PermanentError) && run.attempt < run.maxAttempts;
      if (willRetry) logger.warn('attempt failed; will retry', { reason: error.message });
      else logger.error('task failed', { reason: error.message, permanent: error instanceof PermanentError });
      this.observers.taskFailed(observed, error.message, willRetry);
      throw error;
    }
  }

  private async attempt(run: JobRun, logger: TaskLogger): Promise<JobOutcome> {
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
      logger,
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

/** The active context when it has a span (the queue's consumer span); else the one the job carries. */
function parentContext(run: JobRun): Context {
  const active = context.active();
  if (trace.getSpan(active)) return active;
  const carrier = run.data.meta?.trace;
  return carrier ? propagation.extract(active, carrier) : active;
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
