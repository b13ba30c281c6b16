/**
 * The Commerce Coordinator SDK: what an extension is made of.
 *
 * @example
 * ```ts
 * import { defineExtension, defineTask, defineSignal, onSignal, TaskDispatcher } from '@coordinator/core';
 * ```
 *
 * @packageDocumentation
 */
export { CONTRACT_VERSION } from './contract/contract-version.js';
export { CORE_VERSION } from './contract/core-version.js';
export { defineExtension, isExtension, type Extension, type ExtensionSpec } from './contract/define-extension.js';
export {
  defineTask,
  isTaskDefinition,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TASK_TIMEOUT_MS,
  DEFAULT_TASK_RETENTION,
  type TaskRetention,
  type RetryPolicy,
  type TaskDefinition,
  type TaskSpec,
} from './contract/define-task.js';
export {
  defineDownstream,
  isDownstreamDefinition,
  DEFAULT_BREAKER_POLICY,
  DEFAULT_MAX_CONCURRENT,
  type BreakerPolicy,
  type BulkheadPolicy,
  type DownstreamDefinition,
  type DownstreamSpec,
} from './contract/define-downstream.js';
export { defineSignal, isSignalDefinition, type SignalDefinition, type SignalSpec } from './contract/define-signal.js';
export { onSignal, type OnSignalOptions, type SignalHandlerBinding } from './contract/on-signal.js';
export type { EmitOptions, FollowUpOptions, TaskContext, TaskHandler, TaskLogger } from './contract/task-context.js';
export {
  TaskDispatcher,
  type DispatchOptions,
  type SignalEmitOptions,
  type TaskReceipt,
} from './contract/task-dispatcher.js';
export { TaskStatusReader, type EmittedSignal, type TaskState, type TaskStatus } from './contract/task-status.js';
export type { PayloadClass, PayloadOf } from './contract/payload-class.js';
export {
  CoordinatorError,
  IdempotencyConflictError,
  PayloadValidationError,
  PermanentError,
  QueueFullError,
  QueueUnavailableError,
  RetryableError,
  TaskTimeoutError,
} from './contract/errors.js';
export { validatePayload } from './validation/validate-payload.js';
export {
  definePipeline,
  isPipelineDefinition,
  DEFAULT_PIPELINE_TIMEOUT_MS,
  type PipelineDefinition,
  type PipelineSpec,
} from './contract/define-pipeline.js';
export {
  definePipelineStep,
  isPipelineStepDefinition,
  type PipelineStepDefinition,
  type PipelineStepSpec,
} from './contract/define-pipeline-step.js';
export type { PipelineContext, PipelineStep } from './contract/pipeline-step.js';
export { proceed, halt, type StepOutcome } from './contract/step-outcome.js';
export type { PipelineResult, PipelineRunOptions } from './contract/pipeline-result.js';
export { PipelineStepError, PipelineTimeoutError } from './contract/pipeline-errors.js';
// The runner lives with the host runtime; extensions inject it, so the SDK exports it too.
export { PipelineRunner } from './runtime/pipeline-runner.js';
export { ADMIN_SCOPE, scopeGranted, type Principal } from './access/principal.js';
export {
  BodyLimit,
  bodyLimitOf,
  BODY_LIMIT_METADATA,
  PublicRoute,
  RequireScopes,
  routeAccessOf,
  ROUTE_ACCESS_METADATA,
  type RouteAccess,
} from './access/route-access.js';
export { CurrentPrincipal } from './access/current-principal.js';
