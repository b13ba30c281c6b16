/**
 * The Commerce Coordinator worker host: runs the loaded extensions' tasks from BullMQ
 * with retries, timeouts and graceful shutdown. Run it with the `coordinator-worker`
 * bin, or embed it with {@link createWorkerHost}.
 *
 * @packageDocumentation
 */
export { WorkerHostModule, type WorkerHostModuleOptions } from './worker-host.module.js';
export { WorkerHostSettings, concurrencyOf } from './worker-host.settings.js';
export { createWorkerHost, type CreateWorkerHostOptions, type WorkerHost } from './create-worker-host.js';
export { startWorkerHost, type RunningWorkerHost } from './start-worker-host.js';
export { WorkerPool } from './consumers/worker-pool.js';
export { DEFAULT_CONNECTION_WATCHDOG, type ConnectionWatchdogOptions } from './consumers/connection-watchdog.js';
export { DEFAULT_STALLED_JOB_SETTINGS, type StalledJobSettings } from './consumers/stalled-jobs.js';
export { assertNoEviction } from './redis-eviction-check.js';
export { WorkerMetrics } from './metrics/worker-metrics.js';
export { TaskRunMetrics } from './metrics/task-run-metrics.js';
export { BreakerMetrics, BREAKER_STATE_VALUES } from './metrics/breaker-metrics.js';
