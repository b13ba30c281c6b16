/**
 * Host runtime shared by `@coordinator/api-host`, `@coordinator/worker-host` and
 * `@coordinator/testing`. Extension authors do not need it; its surface may change
 * between minor versions together with the hosts, which are released in lockstep.
 *
 * @packageDocumentation
 */
export { loadExtensions, parseExtensionList } from './extension-loader.js';
export {
  ExtensionLoadError,
  ExtensionRegistry,
  type CompatibilityOptions,
  type RegisteredDownstream,
  type RegisteredHandler,
  type RegisteredTask,
} from './extension-registry.js';
export { parseWiringOverrides, type HandlerOverride, type WiringOverrides } from './wiring-overrides.js';
export { loadSettings, SettingsError } from './settings.js';
export {
  DEFAULT_QUEUE_PREFIX,
  producerRedisOptions,
  redisOptionsFromUrl,
  workerRedisOptions,
} from './redis-options.js';
export type { JobEnvelope, JobMeta, JobOutcome } from './job-envelope.js';
export { derivedTaskId, newTaskId, taskNameOf } from './task-id.js';
export { QueueDispatcher, backoffOf, type PreparedJob, type SignalOrigin } from './queue-dispatcher.js';
export {
  BullMqDispatcher,
  CORRELATION_RETENTION_SECONDS,
  correlationKey,
  type BullMqDispatcherOptions,
} from './bullmq-dispatcher.js';
export { BullMqStatusReader } from './bullmq-status-reader.js';
export { TaskExecutor, asError, type HandlerResolver, type JobRun, type TaskExecutorOptions } from './task-executor.js';
export { DownstreamGuards, type BreakerStateListener } from './downstream-guards.js';
export { MIN_DOWNSTREAM_DEFERRAL_MS, type BreakerState, type BreakerStateChange } from './downstream-guard.js';
export { InlineTransport } from './inline-transport.js';
export { JobDeferral, jitteredDelay, type DeferralReason } from './job-deferral.js';
export { SCHEMA_AHEAD_DELAY_MS, schemaSkewOf } from './schema-skew.js';
export { actingPrincipal, currentOwner, runAsOwner, runAsPrincipal } from './owner-context.js';
export { API_KEY_PREFIX, generateApiKey, hashApiKey, type ApiKeyEntry } from './access/api-keys.js';
export { ObserverList, type ObservedJob, type TaskObserver } from './task-observer.js';
export { createTaskLogger } from './task-logger.js';
export type { TaskTransport } from './task-transport.js';
export { BullMqTransport, type BullMqTransportOptions } from './bullmq-transport.js';
export { coalesceWrites, type CoalescableClient } from './coalesce-writes.js';
export { acceptsWithoutErrors } from '../validation/rule-plans.js';
export { plannedPlainToInstance, plannedTransformer } from '../validation/transform-plans.js';
export { createExtensionModule, type ExtensionModuleRole } from './extension-module.js';
export { runUntilSignal } from './run-until-signal.js';
export { parsePipelineConfig, type PipelineConfig } from './pipeline-config.js';
export { PipelineRunner } from './pipeline-runner.js';
export type { RegisteredPipeline, RegisteredPipelineStep } from './extension-registry.js';
export { retryBackoffStrategy, retryDelay, RETRY_BACKOFF_TYPE } from './retry-delay.js';
export { loadRegistry, type WiringSettings } from './load-registry.js';
export { HostSettings } from './host-settings.js';
export {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_STALE_MS,
  HeartbeatLoop,
  WorkerHeartbeats,
  type WorkerHeartbeat,
} from './worker-heartbeats.js';
export { BooleanSetting } from './boolean-setting.js';
export {
  collectFailures,
  type CollectFailures,
  createMetricsRegistry,
  EnqueueMetrics,
  METRICS_PREFIX,
  QUEUE_JOB_STATES,
  registerQueueMetrics,
  type JobCountsReader,
  type QueueJobState,
  type QueueMetricsOptions,
} from './metrics/index.js';
export {
  activeTelemetry,
  loadWithTelemetry,
  provideTraceExporter,
  shutdownTelemetry,
  startTelemetry,
  tracingEnabled,
  type ActiveTelemetry,
  type StartTelemetryOptions,
} from './telemetry/index.js';
export { bullmqTelemetry } from './telemetry/bullmq-telemetry.js';
export {
  createHostLogger,
  installHostLogger,
  LOG_FORMATS,
  LOG_LEVELS,
  PinoNestLogger,
  redactFields,
  scrubSecrets,
  secretValues,
  REDACTED,
  SECRET_FIELD,
  type HostLoggerOptions,
  type LogFormat,
  type LogLevelName,
} from './logging/index.js';
export { WiringEnvironment } from './host-settings.js';
export { listControllerRoutes, type ControllerRoute } from './controller-routes.js';
export {
  deadLetterOf,
  listDeadLetters,
  queuesToSearch,
  replayDeadLetter,
  type DeadLetter,
  type ReplayOutcome,
} from './dead-letters.js';
export { workersReport, type VersionSkew, type WorkersReport } from './workers-report.js';
