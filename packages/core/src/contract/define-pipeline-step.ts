import type { Type } from '@nestjs/common';
import { PIPELINE_STEP_BRAND } from './contract-version.js';
import { isPipelineDefinition, type PipelineDefinition } from './define-pipeline.js';
import type { PipelineStep } from './pipeline-step.js';

/**
 * What a step author writes; see {@link definePipelineStep}. The step class is checked
 * against the pipeline's input and result types.
 *
 * @example
 * ```ts
 * const spec: PipelineStepSpec<ReceiptInput, Receipt> = { name: 'payments.find-intent', pipeline: receiptPipeline, step: FindIntentStep };
 * ```
 */
export interface PipelineStepSpec<I, R extends object> {
  /** `<extension>.<step>`, unique across every loaded extension; pipelines list steps by it. */
  name: string;
  /** The one pipeline this step may run in. */
  pipeline: PipelineDefinition<I, R>;
  step: Type<PipelineStep<NoInfer<I>, NoInfer<R>>>;
}

/**
 * A pipeline step as the hosts see it: plain, frozen and branded.
 *
 * @example
 * ```ts
 * const s: PipelineStepDefinition<ReceiptInput, Receipt> = findIntent;
 * s.pipeline.name; // 'payments.receipt'
 * ```
 */
export interface PipelineStepDefinition<I = never, R extends object = object> {
  readonly [PIPELINE_STEP_BRAND]: true;
  readonly name: string;
  readonly pipeline: PipelineDefinition<I, R>;
  readonly step: Type<PipelineStep<I, R>>;
}

const STEP_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Declares a step of one pipeline. List it in the extension's `pipelineSteps`; the
 * pipeline runs it when its name is in the pipeline's step list (the pipeline's
 * `defaultSteps`, or `COORDINATOR_PIPELINES`).
 *
 * @example
 * ```ts
 * export const findIntent = definePipelineStep({
 *   name: 'payments.find-intent',
 *   pipeline: receiptPipeline,
 *   step: FindIntentStep,
 * });
 * ```
 */
export function definePipelineStep<I, R extends object>(spec: PipelineStepSpec<I, R>): PipelineStepDefinition<I, R> {
  if (!STEP_NAME.test(spec.name)) {
    throw new TypeError(
      `pipeline step name "${spec.name}" must be namespaced and lower-case, like "payments.find-intent"`,
    );
  }
  if (!isPipelineDefinition(spec.pipeline)) {
    throw new TypeError(`pipeline step ${spec.name}: pipeline must be made by definePipeline()`);
  }
  if (typeof spec.step !== 'function') throw new TypeError(`pipeline step ${spec.name}: step must be a class`);
  return Object.freeze({
    [PIPELINE_STEP_BRAND]: true as const,
    name: spec.name,
    pipeline: spec.pipeline,
    step: spec.step,
  });
}

/**
 * True when `value` is a step made by {@link definePipelineStep} (from any copy of core).
 *
 * @example
 * ```ts
 * if (!isPipelineStepDefinition(value)) throw new TypeError('not a pipeline step');
 * ```
 */
export function isPipelineStepDefinition(value: unknown): value is PipelineStepDefinition {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PIPELINE_STEP_BRAND] === true
  );
}
