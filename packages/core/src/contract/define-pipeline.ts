import { PIPELINE_BRAND } from './contract-version.js';

/**
 * Carries a pipeline's input and result types. Never set at run time: it exists so that
 * `definePipelineStep` and `PipelineRunner.run` can check their types against the pipeline.
 */
export const PIPELINE_TYPES: unique symbol = Symbol('@coordinator/core.pipeline-types') as never;

/** Timeout of a whole pipeline run when its definition does not declare one. */
export const DEFAULT_PIPELINE_TIMEOUT_MS = 5_000;

/**
 * What a pipeline author writes; see {@link definePipeline}.
 *
 * @example
 * ```ts
 * const spec: PipelineSpec = { name: 'payments.receipt', version: 1, defaultSteps: ['payments.find-intent'] };
 * ```
 */
export interface PipelineSpec {
  /** `<extension>.<pipeline>`, unique across every loaded extension. */
  name: string;
  /** Version of the input and result shapes; raise it when a change is not backwards-compatible. */
  version?: number;
  /**
   * Step names in run order, used unless `COORDINATOR_PIPELINES` gives the pipeline
   * another list. May be empty only when deployment config always supplies one.
   */
  defaultSteps?: readonly string[];
  /** Deadline of a whole run; each step's `ctx.signal` fires when it is reached. */
  timeoutMs?: number;
}

/**
 * A pipeline as the hosts see it: plain, frozen and branded. `I` is what a run starts
 * from, `R` the result its steps accumulate. The defaults (`never`, `object`) describe
 * "any pipeline", which every pipeline is assignable to.
 *
 * @example
 * ```ts
 * const p: PipelineDefinition<ReceiptInput, Receipt> = receiptPipeline;
 * p.defaultSteps; // ['payments.find-intent', 'payments.format-receipt']
 * ```
 */
export interface PipelineDefinition<I = never, R extends object = object> {
  readonly [PIPELINE_BRAND]: true;
  readonly name: string;
  readonly version: number;
  readonly defaultSteps: readonly string[];
  readonly timeoutMs: number;
  /** Type-only (never present): the input is contravariant, the result covariant. */
  readonly [PIPELINE_TYPES]?: { readonly input: (input: I) => void; readonly result: R };
}

const PIPELINE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Declares a pipeline: a request-time composition of ordered steps, each of which may
 * add to the result and continue, or halt with the result so far. Deployment config
 * (`COORDINATOR_PIPELINES`) may reorder or drop steps; the hosts refuse to start when a
 * list names an unknown step. Give the input and result types explicitly.
 *
 * @example
 * ```ts
 * export const receiptPipeline = definePipeline<ReceiptInput, Receipt>({
 *   name: 'payments.receipt',
 *   version: 1,
 *   defaultSteps: ['payments.find-intent', 'payments.format-receipt'],
 *   timeoutMs: 2_000,
 * });
 * ```
 */
export function definePipeline<I, R extends object>(spec: PipelineSpec): PipelineDefinition<I, R> {
  if (!PIPELINE_NAME.test(spec.name)) {
    throw new TypeError(`pipeline name "${spec.name}" must be namespaced and lower-case, like "payments.receipt"`);
  }
  const version = spec.version ?? 1;
  if (!Number.isInteger(version) || version < 1) {
    throw new RangeError(`pipeline ${spec.name}: version must be an integer >= 1`);
  }
  const timeoutMs = spec.timeoutMs ?? DEFAULT_PIPELINE_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new RangeError(`pipeline ${spec.name}: timeoutMs must be a finite number > 0`);
  }
  const defaultSteps = [...(spec.defaultSteps ?? [])];
  for (const step of defaultSteps) {
    if (typeof step !== 'string' || !PIPELINE_NAME.test(step)) {
      throw new TypeError(`pipeline ${spec.name}: default step "${String(step)}" is not a namespaced step name`);
    }
  }
  return Object.freeze({
    [PIPELINE_BRAND]: true as const,
    name: spec.name,
    version,
    defaultSteps: Object.freeze(defaultSteps),
    timeoutMs,
  });
}

/**
 * True when `value` is a pipeline made by {@link definePipeline} (from any copy of core).
 *
 * @example
 * ```ts
 * if (!isPipelineDefinition(value)) throw new TypeError('not a pipeline');
 * ```
 */
export function isPipelineDefinition(value: unknown): value is PipelineDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PIPELINE_BRAND] === true;
}
