/*
 * `@coordinator/core/runtime/telemetry`: what a host bin imports before anything else.
 * It must not import what it instruments (bullmq, ioredis, Nest): with Redis spans those load
 * after startTelemetry() has registered the loader hook. Nothing heavy loads unless tracing is on.
 */
export { loadWithTelemetry } from './load-with-telemetry.js';
export { startTelemetry, type StartTelemetryOptions } from './start-telemetry.js';
export { tracingEnabled } from './tracing-config.js';
export { activeTelemetry, provideTraceExporter, shutdownTelemetry, type ActiveTelemetry } from './telemetry-state.js';
