import type { Type } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { types } from 'node:util';
import type { DownstreamDefinition } from '../contract/define-downstream.js';
import { PermanentError, TaskTimeoutError } from '../contract/errors.js';
import type { TaskContext, TaskHandler, TaskLogger } from '../contract/task-context.js';
import { validatePayloadNow } from '../validation/validate-payload.js';
import { AttemptDeadline, withDeadlineSignal } from './attempt-deadline.js';
import { DownstreamGuards } from './downstream-guards.js';
import type { ExtensionRegistry } from './extension-registry.js';
import { JobDeferral } from './job-deferral.js';
import type { JobEnvelope, JobMeta, JobOutcome } from './job-envelope.js';
import { runAsOwner } from './owner-context.js';
import type { QueueDispatcher } from './queue-dispatcher.js';
import { schemaSkewOf } from './schema-skew.js';
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
  /**
   * The trace context of the span that added the job, as the queue's telemetry stored it in the
   * job (BullMQ's `opts.telemetry.metadata`: a W3C carrier as JSON). The attempt's span continues it.
   */
  producerTrace?: string;
}

/** Without an SDK this is OpenTelemetry's no-op tracer: a span costs next to nothing. */
const tracer = trace.getTracer('@coordinator/core');

/** Creates (or finds) a handler instance through the worker host's dependency injection. */
export type HandlerResolver = <T>(type: Type<T>) => T;

/**
 * Optional parts of a {@link TaskExecutor}.
 *
 * @example
 * ```ts
 * new TaskExecutor(registry, resolve, dispatcher, { observers: new ObserverList([metrics]), guards });
 * ```
 */
export interface TaskExecutorOptions {
  /** Told of every start, end and deferral. */
  observers?: ObserverList;
  /**
   * The process's circuit breakers and bulkheads, shared by every job it runs; a fresh
   * set when left out.
   */
  guards?: DownstreamGuards;
}

/**
 * Runs one attempt of a job: finds its task, validates the payload again, runs the
 * handler with its context and timeout, and says what happens next through the error
 * it throws: {@link PermanentError} means no retry, {@link JobDeferral} means put the
 * job back without spending the attempt, anything else retries. A job whose task needs
 * a downstream with an open circuit is deferred before it starts.
 */
export class TaskExecutor {
  private readonly observers: ObserverList;
  /** The circuit breakers and bulkheads handlers call downstreams through (`ctx.call`). */
  readonly guards: DownstreamGuards;

  constructor(
    private readonly registry: ExtensionRegistry,
    private readonly resolveHandler: HandlerResolver,
    private readonly dispatcher: QueueDispatcher,
    options: TaskExecutorOptions = {},
  ) {
    this.observers = options.observers ?? new ObserverList();
    this.guards = options.guards ?? new DownstreamGuards();
  }

  /**
   * Runs the attempt inside its own consumer span, `task <name>`: a child of the producer
   * span the job carries when there is one ({@link JobRun.producerTrace}), else of the span
   * active where it runs, else of the trace context stored in the job by whoever enqueued
   * it. Logs and signals emitted by the handler carry that context.
   */
  execute(run: JobRun): Promise<JobOutcome> {
    const extension = this.registry.findTask(run.name)?.extension.name ?? metaOf(run)?.extension;
    const attributes = {
      'coordinator.task.name': run.name,
      'coordinator.task.id': run.taskId,
      'coordinator.task.attempt': run.attempt,
      'coordinator.task.max_attempts': run.maxAttempts,
      ...(extension ? { 'coordinator.extension': extension } : {}),
    };
    return tracer.startActiveSpan(
      `task ${run.name}`,
      { kind: SpanKind.CONSUMER, attributes },
      parentContext(run),
      async (span) => {
        try {
          return await this.observe(run, extension);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async observe(run: JobRun, extension: string | undefined): Promise<JobOutcome> {
    // A job written by someone else may lack the envelope; attempt() fails it permanently.
    const envelopeMeta = metaOf(run);
    const meta = envelopeMeta ?? ({} as JobMeta);
    const observed: ObservedJob = { taskId: run.taskId, task: run.name, attempt: run.attempt, meta };
    const logger = createTaskLogger(run.name, run.taskId, run.attempt, extension);
    const skew = envelopeMeta && schemaSkewOf(this.registry, run.name, envelopeMeta);
    if (skew) throw this.deferred(observed, logger, skew);
    const unavailable = envelopeMeta && this.guards.deferralBeforeStart(downstreamsOf(this.registry, run.name));
    if (unavailable) throw this.deferred(observed, logger, unavailable);
    const started = performance.now();
    this.observers.taskStarted(observed);
    try {
      const outcome = await this.attempt(run, logger);
      this.observers.taskCompleted(observed, outcome.result);
      logger.log('task completed', { durationMs: Math.round(performance.now() - started) });
      return outcome;
    } catch (raw) {
      if (raw instanceof JobDeferral) throw this.deferred(observed, logger, raw);
      const error = asError(raw);
      const willRetry = !(error instanceof PermanentError) && run.attempt < run.maxAttempts;
      if (willRetry) logger.warn('attempt failed; will retry', { reason: error.message });
      else logger.error('task failed', { reason: error.message, permanent: error instanceof PermanentError });
      this.observers.taskFailed(observed, error.message, willRetry);
      throw error;
    }
  }

  private deferred(observed: ObservedJob, logger: TaskLogger, deferral: JobDeferral): JobDeferral {
    logger.warn('task deferred', { reason: deferral.reason, delayMs: deferral.delayMs, detail: deferral.message });
    this.observers.taskDeferred(observed, deferral.reason, deferral.delayMs);
    return deferral;
  }

  private async attempt(run: JobRun, logger: TaskLogger): Promise<JobOutcome> {
    const task = this.registry.findTask(run.name);
    if (!task) throw new PermanentError(`no loaded extension defines task "${run.name}"`);
    const definition = task.definition;
    if (!metaOf(run)) {
      throw new PermanentError(
        `job data of ${definition.name} is not a coordinator job ({ payload, meta }): it can never run`,
      );
    }
    // A payload the validator cannot even read (nested too deeply, hostile getters) will never be valid.
    const permanent = (error: unknown): Error =>
      error instanceof PermanentError
        ? error
        : new PermanentError(`payload of ${definition.name} cannot be validated: ${asError(error).message}`);
    let checked: object | Promise<object>;
    try {
      checked = validatePayloadNow(definition.payload, run.data.payload, `payload of ${definition.name}`);
    } catch (error) {
      throw permanent(error);
    }
    const payload =
      checked instanceof Promise
        ? await checked.catch((error: unknown) => {
            throw permanent(error);
          })
        : checked;
    const handler = this.resolveHandler<TaskHandler<object>>(definition.handler);

    const deadline = new AttemptDeadline(
      definition.timeoutMs,
      () => new TaskTimeoutError(`${definition.name} timed out after ${definition.timeoutMs} ms`),
      run.shutdownSignal,
    );
    const emitted: JobOutcome['emitted'] = [];
    // Follow-ups and handler jobs belong to whoever the job belongs to.
    const owner = run.data.meta.owner;
    const ctx: TaskContext = withDeadlineSignal(
      {
        taskId: run.taskId,
        taskName: definition.name,
        attempt: run.attempt,
        maxAttempts: run.maxAttempts,
        idempotencyKey: run.taskId,
        logger,
        emit: async (signalDefinition, signalPayload, options = {}) => {
          const receipts = await runAsOwner(owner, () =>
            this.dispatcher.emitSignal(signalDefinition, signalPayload, {
              taskId: run.taskId,
              key: options.key ?? '',
              correlationId: run.data.meta.correlationId,
            }),
          );
          emitted.push({ signal: signalDefinition.name, taskIds: receipts.map((r) => r.taskId) });
        },
        dispatch: (followUp, followUpPayload, options = {}) =>
          runAsOwner(owner, () =>
            this.dispatcher.dispatch(followUp, followUpPayload, {
              idempotencyKey: `follow-up|${run.taskId}|${options.key ?? ''}`,
              correlationId: run.data.meta.correlationId,
              delayMs: options.delayMs,
            }),
          ),
        call: (downstream, fn) => {
          // `?.`: a task defined by an older core has no downstreams.
          if (!definition.downstreams?.includes(downstream)) {
            return Promise.reject(
              new PermanentError(
                `task ${definition.name} calls downstream "${downstream.name}", which it does not declare: add it to the task's downstreams`,
              ),
            );
          }
          return this.guards.call(downstream, deadline.signal, fn);
        },
      },
      deadline,
    );
    try {
      const result = await Promise.race([runAsOwner(owner, () => handler.run(payload, ctx)), deadline.ended]);
      return { result: storable(definition.name, result ?? null), emitted };
    } finally {
      deadline.dispose();
    }
  }
}

/**
 * The downstreams a task declares. A task defined by an older core has no `downstreams`
 * property: it calls none through `ctx.call`.
 */
function downstreamsOf(registry: ExtensionRegistry, task: string): readonly DownstreamDefinition[] {
  return registry.findTask(task)?.definition.downstreams ?? [];
}

/**
 * The producer span's context when the job carries it; else the active context when it has a
 * span (the inline transport runs an attempt in the dispatching code's context); else the trace
 * context stored in the envelope at dispatch.
 */
function parentContext(run: JobRun): Context {
  const active = context.active();
  const producer = run.producerTrace === undefined ? undefined : carrierOf(run.producerTrace);
  if (producer) return propagation.extract(active, producer);
  if (trace.getSpan(active)) return active;
  const carrier = metaOf(run)?.trace;
  return carrier ? propagation.extract(active, carrier) : active;
}

/** A propagation carrier from its JSON; undefined for anything else (a job written by someone else). */
function carrierOf(json: string): Record<string, string> | undefined {
  try {
    const carrier: unknown = JSON.parse(json);
    return typeof carrier === 'object' && carrier !== null && !Array.isArray(carrier)
      ? (carrier as Record<string, string>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The job's meta when its data is a coordinator envelope, else undefined. */
function metaOf(run: JobRun): JobMeta | undefined {
  const data: unknown = run.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const meta = (data as { meta?: unknown }).meta;
  return typeof meta === 'object' && meta !== null ? (meta as JobMeta) : undefined;
}

/**
 * The queue stores a result as JSON; one that cannot be (a BigInt, a cycle) would fail
 * after the handler's side effects and run them again on every retry.
 */
function storable(task: string, result: unknown): unknown {
  try {
    JSON.stringify(result);
    return result;
  } catch (error) {
    throw new PermanentError(`${task} returned a result that cannot be stored as JSON: ${asError(error).message}`);
  }
}

/**
 * Handlers may throw anything; the queue needs an Error with a message. A thrown value
 * that is not an Error (a string, `undefined`, a plain object) is a programming error no
 * retry can fix, so it becomes a {@link PermanentError} whose message shows the value.
 *
 * @example
 * ```ts
 * asError('boom'); // PermanentError: "non-error thrown: boom", not retried
 * asError(new RetryableError('OMS answered 503')); // the same error, retried
 * ```
 */
export function asError(value: unknown): Error {
  // isNativeError also knows errors from another realm (a vm context such as Jest's sandbox).
  if (value instanceof Error || types.isNativeError(value)) return value as Error;
  return new PermanentError(`non-error thrown: ${describeThrown(value)}`);
}

const MAX_THROWN_LENGTH = 500;

/** The thrown value in a few words; never throws, whatever the value does when printed. */
function describeThrown(value: unknown): string {
  let text: string;
  try {
    if (typeof value === 'string') text = value;
    else if (typeof value === 'bigint') text = `${value}n`;
    else if (typeof value === 'symbol') text = value.toString();
    else if (typeof value === 'function') text = `function ${value.name || '(anonymous)'}`;
    else text = JSON.stringify(value) ?? String(value);
  } catch {
    text = describeUnprintable(value);
  }
  return text.length > MAX_THROWN_LENGTH ? `${text.slice(0, MAX_THROWN_LENGTH)}…` : text;
}

/** A cycle, a throwing `toJSON` or a hostile proxy: name what can safely be named. */
function describeUnprintable(value: unknown): string {
  try {
    if (typeof value === 'object' && value !== null) {
      return `an object JSON cannot print (keys: ${Object.keys(value).slice(0, 10).join(', ') || 'none'})`;
    }
  } catch {
    // Even its keys cannot be read.
  }
  return `a ${typeof value} that cannot be printed`;
}
