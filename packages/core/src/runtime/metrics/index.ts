export { collectFailures, createMetricsRegistry, METRICS_PREFIX, type CollectFailures } from './metrics-registry.js';
export { EnqueueMetrics } from './enqueue-metrics.js';
export {
  QUEUE_JOB_STATES,
  registerQueueMetrics,
  type JobCountsReader,
  type QueueJobState,
  type QueueMetricsOptions,
} from './queue-metrics.js';
