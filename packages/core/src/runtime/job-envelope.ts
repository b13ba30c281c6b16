/**
 * What every job carries besides its payload, so a worker (or an operator) can tell
 * who wrote it, against which schema, when, and in which trace.
 */
export interface JobMeta {
  task: string;
  extension: string;
  extensionVersion: string;
  schemaVersion: number;
  /** ISO time the job was accepted by the queue's producer. */
  enqueuedAt: string;
  /** W3C trace context (`traceparent`, `tracestate`) of the code that enqueued the job. */
  trace: Record<string, string>;
  idempotencyKey?: string;
  /** Hash of the payload, stored with keyed dispatches to detect a key reused for other data. */
  fingerprint?: string;
  correlationId?: string;
  /** The principal whose request led to this job (inherited by follow-ups and handlers). */
  owner?: string;
  /** Set on handler jobs: the signal that started them and the task that emitted it. */
  cause?: { signal: string; taskId?: string };
}

/** The data of every job the coordinator enqueues. */
export interface JobEnvelope<P = unknown> {
  payload: P;
  meta: JobMeta;
}

/** The return value the worker stores for a completed job. */
export interface JobOutcome<R = unknown> {
  result: R;
  emitted: { signal: string; taskIds: string[] }[];
}
