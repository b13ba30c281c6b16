import type { TaskDispatcher } from '@coordinator/core';
import { BullMqTransport, loadSettings, type ExtensionRegistry, type TaskTransport } from '@coordinator/core/runtime';
import { BoundedDispatcher } from './bounded-dispatcher.js';
import { QueueCaps } from './queue-caps.js';
import { QueueLimitsSettings } from './queue-limits.settings.js';
import { WaitingCounts } from './waiting-counts.js';

/**
 * The dispatcher the API host's controllers get: the transport's own, bounded by
 * `QUEUE_MAX_WAITING` / `QUEUE_MAX_WAITING_OVERRIDES` when the queue is BullMQ.
 * Throws `SettingsError` at startup when the settings are wrong.
 *
 * Only requests are capped. Follow-ups that tasks dispatch or emit in the workers use
 * the transport's dispatcher directly: refusing them would fail a job after its side
 * effects (a charged card) and make its retry redo them, and their volume is bounded
 * by the work the API already admitted.
 *
 * @example
 * ```ts
 * { provide: TaskDispatcher, useValue: apiDispatcher(transport, registry, env) }
 * ```
 */
export function apiDispatcher(
  transport: TaskTransport,
  registry: ExtensionRegistry,
  env: NodeJS.ProcessEnv,
): TaskDispatcher {
  const caps = QueueCaps.from(loadSettings(QueueLimitsSettings, env), registry.queues());
  // The inline transport runs tasks as they come and keeps no backlog to bound.
  if (!(transport instanceof BullMqTransport) || !caps.boundsAny(registry.queues())) return transport.dispatcher;
  // BullMQ keeps a paused queue's jobs in its wait list, so "waiting" covers paused ones too.
  const counts = new WaitingCounts((queue) => transport.queue(queue).getJobCountByTypes('waiting', 'prioritized'));
  return new BoundedDispatcher(transport.dispatcher, registry, caps, counts);
}
