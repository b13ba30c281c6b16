/**
 * The Commerce Coordinator API host: authenticates and validates HTTP requests, hands
 * the work to tasks in the queue, and answers at once. Run it with the
 * `coordinator-api` bin, or embed it with {@link createApiHost}.
 *
 * @packageDocumentation
 */
export { ApiHostModule, type ApiHostModuleOptions } from './api-host.module.js';
export { ApiHostSettings } from './api-host.settings.js';
export { createApiHost, type CreateApiHostOptions } from './create-api-host.js';
export { startApiHost, type RunningApiHost } from './start-api-host.js';
export { ApiMetrics, UNMATCHED_ROUTE } from './metrics/api-metrics.js';
export type { WorkersReport, QueueCoverage, WorkerSummary } from './health/worker-coverage.js';
export { mountedRoutes, type MountedRoute } from './auth/mount-authentication.js';
export type { RoutePolicy } from './auth/route-policies.js';
