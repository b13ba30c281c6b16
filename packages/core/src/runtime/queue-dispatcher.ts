import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type { SignalDefinition } from '../contract/define-signal.js';
import type { TaskDefinition } from '../contract/define-task.js';
import type { PayloadOf } from '../contract/payload-class.js';
import { IdempotencyConflictError } from '../contract/errors.js';
import {
  TaskDispatcher,
  type DispatchOptions,
  type SignalEmitOptions,
  type TaskReceipt,
} from '../contract/task-dispatcher.js';
import { validatePayloadNow } from '../validation/validate-payload.js';
import type { ExtensionRegistry, RegisteredTask } from './extension-registry.js';
import type { JobEnvelope, JobMeta } from './job-envelope.js';
import { payloadFingerprint } from './payload-fingerprint.js';
import { RETRY_BACKOFF_TYPE } from './retry-delay.js';
import { derivedTaskId, newTaskId } from './task-id.js';
import { currentOwner } from './owner-context.js';
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
  /** Passed on to the handler jobs. */
  correlationId?: string;
}

/** What the queue holds for a job after a store: the payload fingerprint it was first stored with. */
export interface StoredJob {
  taskId: string;
  fingerprint: string | undefined;
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

  /**
   * Stores every job or throws; resolves only when the queue has accepted them. A job
   * whose id is already taken is not stored again; for keyed dispatches the result
   * says which fingerprint the stored job has.
   */
  protected abstract store(jobs: readonly PreparedJob[]): Promise<StoredJob[]>;

  async dispatch<P extends object>(
    task: TaskDefinition<P, unknown>,
    payload: PayloadOf<P>,
    options: DispatchOptions = {},
  ): Promise<TaskReceipt> {
    const registered = this.registry.task(task.name);
    const checked = validatePayloadNow(task.payload, payload, `payload of ${task.name}`);
    const valid = checked instanceof Promise ? await checked : checked;
    const keyed = options.idempotencyKey !== undefined;
    const owner = currentOwner();
    // Keys are per owner: two callers using the same key dispatch two tasks.
    const taskId = keyed
      ? derivedTaskId(
          task.name,
          'dispatch',
          ...(owner === undefined ? [] : [`owner:${owner}`]),
          options.idempotencyKey!,
        )
      : newTaskId(task.name);
    const fingerprint = keyed ? payloadFingerprint(valid) : undefined;
    const job: PreparedJob = {
      queue: registered.queue,
      taskId,
      task: registered,
      envelope: {
        payload: valid,
        meta: this.meta(registered, {
          idempotencyKey: options.idempotencyKey,
          fingerprint,
          correlationId: options.correlationId,
          owner,
        }),
      },
      delayMs: options.delayMs,
    };
    const [stored] = await this.store([job]);
    if (keyed && stored?.fingerprint !== undefined && stored.fingerprint !== fingerprint) {
      throw new IdempotencyConflictError(
        `idempotency key "${options.idempotencyKey}" was already used for ${task.name} with a different payload`,
      );
    }
    this.observers.taskDispatched(taskId, task.name);
    return receipt(taskId);
  }

  emit<S extends object>(
    signal: SignalDefinition<S>,
    payload: PayloadOf<S>,
    options: SignalEmitOptions = {},
  ): Promise<readonly TaskReceipt[]> {
    return this.emitSignal(signal, payload, { key: options.key ?? randomUUID(), correlationId: options.correlationId });
  }

  /** Enqueues one job per handler of `signal`, with ids derived from `origin`. */
  async emitSignal(signal: SignalDefinition, payload: unknown, origin: SignalOrigin): Promise<TaskReceipt[]> {
    const registered = this.registry.signal(signal.name);
    if (registered.definition !== signal && registered.definition.payload !== signal.payload) {
      throw new Error(`signal "${signal.name}" emitted with a definition that is not the loaded one`);
    }
    const checked = validatePayloadNow(signal.payload, payload, `payload of signal ${signal.name}`);
    const valid = checked instanceof Promise ? await checked : checked;
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
          meta: this.meta(handler.task, {
            cause: { signal: signal.name, taskId: origin.taskId },
            correlationId: origin.correlationId,
            owner: currentOwner(),
          }),
        },
      };
    });
    if (jobs.length) await this.store(jobs);
    const ids = jobs.map((j) => j.taskId);
    this.observers.signalEmitted(signal.name, origin.taskId, ids);
    return ids.map(receipt);
  }

  private meta(
    task: RegisteredTask,
    extra: Pick<JobMeta, 'idempotencyKey' | 'fingerprint' | 'cause' | 'correlationId' | 'owner'>,
  ): JobMeta {
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    return {
      task: task.definition.name,
      extension: task.extension.name,
      extensionVersion: task.extension.version,
      schemaVersion: task.definition.schemaVersion,
      enqueuedAt: new Date().toISOString(),
      trace,
      // Absent rather than undefined: the envelope is stored as JSON.
      ...definedOnly(extra),
    };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function receipt(taskId: string): TaskReceipt {
  return { taskId, statusUrl: `/tasks/${encodeURIComponent(taskId)}` };
}

/** BullMQ backoff options: computed by the workers' strategy from the task's policy. */
export function backoffOf(task: TaskDefinition): { type: string; delay: number } {
  return { type: RETRY_BACKOFF_TYPE, delay: task.retry.delayMs };
}
