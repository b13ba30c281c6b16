import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type { SignalDefinition } from '../contract/define-signal.js';
import type { TaskDefinition } from '../contract/define-task.js';
import type { PayloadOf } from '../contract/payload-class.js';
import { TaskDispatcher, type DispatchOptions, type TaskReceipt } from '../contract/task-dispatcher.js';
import { validatePayload } from '../validation/validate-payload.js';
import type { ExtensionRegistry, RegisteredTask } from './extension-registry.js';
import type { JobEnvelope, JobMeta } from './job-envelope.js';
import { derivedTaskId, newTaskId } from './task-id.js';
import { ObserverList } from './task-observer.js';

/** A validated job ready to be stored. */
export interface PreparedJob {
  queue: string;
  taskId: string;
  task: RegisteredTask;
  envelope: JobEnvelope;
  delayMs?: number;
}

/** Where a signal comes from; it determines the handler jobs' ids. */
export interface SignalOrigin {
  /** The emitting task, when a handler emits. */
  taskId?: string;
  /** Distinguishes emissions from the same origin. */
  key: string;
}

/**
 * The transport-independent half of dispatching: validation, task ids, envelopes and
 * signal fan-out. Transports implement {@link store}.
 */
export abstract class QueueDispatcher extends TaskDispatcher {
  protected constructor(
    protected readonly registry: ExtensionRegistry,
    protected readonly observers: ObserverList = new ObserverList(),
  ) {
    super();
  }

  /** Stores every job or throws; resolves only when the queue has accepted them. */
  protected abstract store(jobs: readonly PreparedJob[]): Promise<void>;

  async dispatch<P extends object>(
    task: TaskDefinition<P, unknown>,
    payload: PayloadOf<P>,
    options: DispatchOptions = {},
  ): Promise<TaskReceipt> {
    const registered = this.registry.task(task.name);
    const valid = await validatePayload(task.payload, payload, `payload of ${task.name}`);
    const taskId =
      options.idempotencyKey === undefined
        ? newTaskId(task.name)
        : derivedTaskId(task.name, 'dispatch', options.idempotencyKey);
    const job: PreparedJob = {
      queue: registered.queue,
      taskId,
      task: registered,
      envelope: { payload: valid, meta: this.meta(registered, { idempotencyKey: options.idempotencyKey }) },
      delayMs: options.delayMs,
    };
    await this.store([job]);
    this.observers.taskDispatched(taskId, task.name);
    return receipt(taskId);
  }

  emit<S extends object>(
    signal: SignalDefinition<S>,
    payload: PayloadOf<S>,
    options: { key?: string } = {},
  ): Promise<readonly TaskReceipt[]> {
    return this.emitSignal(signal, payload, { key: options.key ?? randomUUID() });
  }

  /** Enqueues one job per handler of `signal`, with ids derived from `origin`. */
  async emitSignal(signal: SignalDefinition, payload: unknown, origin: SignalOrigin): Promise<TaskReceipt[]> {
    const registered = this.registry.signal(signal.name);
    if (registered.definition !== signal && registered.definition.payload !== signal.payload) {
      throw new Error(`signal "${signal.name}" emitted with a definition that is not the loaded one`);
    }
    const valid = await validatePayload(signal.payload, payload, `payload of signal ${signal.name}`);
    const jobs = this.registry.handlersOf(signal.name).map((handler): PreparedJob => {
      const taskId = derivedTaskId(
        handler.task.definition.name,
        'signal',
        origin.taskId ?? '',
        signal.name,
        origin.key,
      );
      return {
        queue: handler.queue,
        taskId,
        task: handler.task,
        envelope: {
          payload: valid,
          meta: this.meta(handler.task, { cause: { signal: signal.name, taskId: origin.taskId } }),
        },
      };
    });
    if (jobs.length) await this.store(jobs);
    const ids = jobs.map((j) => j.taskId);
    this.observers.signalEmitted(signal.name, origin.taskId, ids);
    return ids.map(receipt);
  }

  private meta(task: RegisteredTask, extra: Pick<JobMeta, 'idempotencyKey' | 'cause'>): JobMeta {
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    return {
      task: task.definition.name,
      extension: task.extension.name,
      extensionVersion: task.extension.version,
      schemaVersion: task.definition.schemaVersion,
      enqueuedAt: new Date().toISOString(),
      trace,
      ...(extra.idempotencyKey === undefined ? {} : { idempotencyKey: extra.idempotencyKey }),
      ...(extra.cause === undefined ? {} : { cause: extra.cause }),
    };
  }
}

function receipt(taskId: string): TaskReceipt {
  return { taskId, statusUrl: `/tasks/${encodeURIComponent(taskId)}` };
}

/** BullMQ backoff options for a task's retry policy. */
export function backoffOf(task: TaskDefinition): { type: 'exponential' | 'fixed'; delay: number; jitter: number } {
  const { backoff, delayMs, jitter } = task.retry;
  return { type: backoff, delay: delayMs, jitter: jitter === true ? 0.5 : jitter === false ? 0 : jitter };
}
