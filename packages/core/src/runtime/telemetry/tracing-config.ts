/**
 * Whether the hosts trace, from the standard OpenTelemetry variables: on when
 * `OTEL_SDK_DISABLED` is not `true` and either `OTEL_TRACES_EXPORTER` names an exporter
 * (anything but `none`) or an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). Off otherwise: then nothing of the SDK is loaded.
 *
 * @example
 * ```ts
 * tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }); // true
 * ```
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdkDisabled(env)) return false;
  const exporters = env['OTEL_TRACES_EXPORTER']?.trim();
  if (exporters) {
    return exporters
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .some((e) => e !== '' && e !== 'none');
  }
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}

/** `OTEL_SDK_DISABLED=true`: no tracing, whatever else is configured. */
export function sdkDisabled(env: NodeJS.ProcessEnv): boolean {
  return env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
}

/**
 * `COORDINATOR_TRACE_REDIS=true`: a span per Redis command too. Those need an ES module loader
 * hook registered before ioredis is loaded, so with it tracing starts before the hosts' modules
 * (see `loadWithTelemetry()`).
 */
export function redisSpansRequested(env: NodeJS.ProcessEnv): boolean {
  return env['COORDINATOR_TRACE_REDIS']?.trim().toLowerCase() === 'true';
}
