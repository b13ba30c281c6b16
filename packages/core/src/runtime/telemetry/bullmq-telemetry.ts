import { ROOT_CONTEXT } from '@opentelemetry/api';
import { SpanKind, type Span, type Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { activeTelemetry } from './telemetry-state.js';

/**
 * A span that is not recorded and leaves the context it is given alone: nothing nests under
 * it, and a job's attempt runs in the producer's context BullMQ restores from the job.
 */
const UNRECORDED: Span = {
  setSpanOnContext: (ctx: unknown) => ctx,
  setAttribute: () => undefined,
  setAttributes: () => undefined,
  addEvent: () => undefined,
  recordException: () => undefined,
  end: () => undefined,
};

/**
 * BullMQ's `telemetry` option (through bullmq-otel) for queues while tracing is on,
 * `undefined` otherwise, so a host without tracing pays nothing. Queues record a producer
 * span per job added and carry its context in the job; their other operations are left
 * unrecorded. Workers go without it: the task executor continues the producer's context in
 * the one span an attempt records, `task <name>` (a consumer span), where BullMQ's `process
 * <queue>` span around it would double the cost of tracing a job for little more than the
 * job's completion write, and its internal operations (fetching, locks, stalled checks)
 * would start a trace every few seconds per queue.
 *
 * @example
 * ```ts
 * new Queue('orders', { connection, telemetry: bullmqTelemetry() });
 * ```
 */
export function bullmqTelemetry(): Telemetry | undefined {
  if (!activeTelemetry()) return undefined;
  const otel = new BullMQOtel({ tracerName: 'bullmq' });
  const manager = otel.contextManager;
  return {
    tracer: {
      startSpan: (name, options, ctx) =>
        options?.kind === SpanKind.PRODUCER ? otel.tracer.startSpan(name, options, ctx) : UNRECORDED,
    },
    contextManager: {
      // BullMQ enters a context for each operation it wraps, the unrecorded ones too, whose
      // context is the active one unchanged: entering it again is a no-op that costs an
      // AsyncLocalStorage run per job and operation.
      with: (ctx, fn) => (ctx === manager.active() ? fn() : manager.with(ctx, fn)),
      active: () => manager.active(),
      // Lets BullMQ run its endless loops (the stalled-job check) outside any trace.
      root: () => ROOT_CONTEXT,
      getMetadata: (ctx) => manager.getMetadata(ctx),
      fromMetadata: (active, metadata) => manager.fromMetadata(active, metadata),
    },
  };
}
