import { Counter, type Registry } from 'prom-client';
import { taskNameOf } from '../task-id.js';
import type { TaskObserver } from '../task-observer.js';
import { METRICS_PREFIX } from './metrics-registry.js';

/**
 * `coordinator_tasks_enqueued_total{task}`, fed by a dispatcher's observer hooks: every
 * dispatch the queue accepted, and one job per handler of every emitted signal. Pass it
 * to the host's transport (`new BullMqTransport(registry, { observers: new ObserverList([metrics]) })`).
 * A repeated dispatch with the same idempotency key stores nothing new but counts again.
 *
 * @example
 * ```ts
 * const enqueued = new EnqueueMetrics(register, registry.allTasks().map((t) => t.definition.name));
 * ```
 */
export class EnqueueMetrics implements TaskObserver {
  private readonly enqueued: Counter<'task'>;

  /** `tasks` start at 0, so a rate over them exists before their first dispatch. */
  constructor(register: Registry, tasks: readonly string[] = []) {
    this.enqueued = new Counter({
      name: `${METRICS_PREFIX}tasks_enqueued_total`,
      help: 'Tasks the queue accepted from this host: dispatches, and one per handler of each emitted signal',
      labelNames: ['task'],
      registers: [register],
    });
    for (const task of tasks) this.enqueued.inc({ task }, 0);
  }

  /** One dispatch the queue accepted. */
  taskDispatched(_taskId: string, task: string): void {
    this.enqueued.inc({ task });
  }

  /** One job per handler of the emitted signal, counted under the handler's task. */
  signalEmitted(_signal: string, _fromTaskId: string | undefined, taskIds: readonly string[]): void {
    for (const taskId of taskIds) this.enqueued.inc({ task: taskNameOf(taskId) ?? 'unknown' });
  }
}
