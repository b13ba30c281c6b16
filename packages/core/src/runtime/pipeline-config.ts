/**
 * Deployment step lists of pipelines, keyed by pipeline name; each list replaces the
 * pipeline's `defaultSteps` (order = run order). Read from `COORDINATOR_PIPELINES` as
 * JSON, e.g. `{"payments.receipt": ["payments.find-intent", "payments.format-receipt"]}`.
 */
export type PipelineConfig = Readonly<Record<string, readonly string[]>>;

/**
 * Parses `COORDINATOR_PIPELINES`; throws a message naming the variable and the problem.
 * Whether the names exist is checked by the `ExtensionRegistry`, which knows the steps.
 */
export function parsePipelineConfig(raw: string | undefined): PipelineConfig {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`COORDINATOR_PIPELINES is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('COORDINATOR_PIPELINES must be a JSON object keyed by pipeline name, like {"orders.quote": [...]}');
  }
  const result: Record<string, readonly string[]> = {};
  for (const [name, steps] of Object.entries(parsed)) {
    if (!Array.isArray(steps) || steps.some((step) => typeof step !== 'string' || step === '')) {
      throw new Error(`COORDINATOR_PIPELINES["${name}"] must be an array of step names, like ["orders.price"]`);
    }
    result[name] = Object.freeze([...(steps as string[])]);
  }
  return Object.freeze(result);
}
