import { Logger, type Type } from '@nestjs/common';
import type { PipelineDefinition } from '../contract/define-pipeline.js';
import type { PipelineStepDefinition } from '../contract/define-pipeline-step.js';
import { PipelineStepError, PipelineTimeoutError } from '../contract/pipeline-errors.js';
import type { PipelineResult, PipelineRunOptions } from '../contract/pipeline-result.js';
import type { PipelineContext, PipelineStep } from '../contract/pipeline-step.js';
import type { StepOutcome } from '../contract/step-outcome.js';
import type { TaskLogger } from '../contract/task-context.js';
import type { ExtensionRegistry } from './extension-registry.js';
import { asError, type HandlerResolver } from './task-executor.js';

/**
 * Runs pipelines: the steps the registry resolved for a pipeline (its `defaultSteps`, or
 * `COORDINATOR_PIPELINES`), in order, each with the result accumulated so far, within
 * the pipeline's `timeoutMs`. Both hosts provide it globally; inject it (the class is
 * its own DI token) in a controller or provider.
 *
 * A run never fails silently: a step that throws rejects the run with
 * {@link PipelineStepError}, and the deadline rejects it with {@link PipelineTimeoutError}.
 *
 * @example
 * ```ts
 * @Controller('receipts')
 * export class ReceiptsController {
 *   constructor(private readonly pipelines: PipelineRunner) {}
 *
 *   @Get(':orderId')
 *   async get(@Param('orderId') orderId: string) {
 *     const { result } = await this.pipelines.run(receiptPipeline, { orderId });
 *     return result;
 *   }
 * }
 * ```
 */
export class PipelineRunner {
  constructor(
    private readonly registry: ExtensionRegistry,
    /** Finds a step instance through the host's dependency injection. */
    private readonly resolveStep: HandlerResolver,
  ) {}

  /**
   * Runs `pipeline` from `input`. Resolves once a step halts or the last step proceeds.
   *
   * @example
   * ```ts
   * const { result, steps, haltedBy } = await runner.run(receiptPipeline, { orderId: 'o-1' });
   * ```
   */
  async run<I, R extends object>(
    pipeline: PipelineDefinition<I, R>,
    input: NoInfer<I>,
    options: PipelineRunOptions = {},
  ): Promise<PipelineResult<R>> {
    const registered = this.registry.pipeline(pipeline.name);
    if (registered.definition.version !== pipeline.version) {
      throw new Error(
        `pipeline "${pipeline.name}" is loaded at version ${registered.definition.version}, but the caller was built for version ${pipeline.version}`,
      );
    }
    const { name, timeoutMs } = registered.definition;
    let current = registered.steps[0]?.definition.name ?? '';
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new PipelineTimeoutError(name, current, timeoutMs)), timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
    let state: Partial<R> = {};
    const ran: string[] = [];
    try {
      for (const { definition } of registered.steps) {
        current = definition.name;
        if (signal.aborted) throw asError(signal.reason);
        ran.push(definition.name);
        const outcome = await this.runStep(definition as PipelineStepDefinition<I, R>, input, state, signal);
        state = { ...state, ...outcome.partial };
        if (outcome.action === 'halt') return { result: state, steps: ran, haltedBy: definition.name };
      }
      return { result: state, steps: ran };
    } finally {
      clearTimeout(timer);
    }
  }

  private async runStep<I, R extends object>(
    definition: PipelineStepDefinition<I, R>,
    input: I,
    state: Partial<R>,
    signal: AbortSignal,
  ): Promise<StepOutcome<R>> {
    const pipeline = definition.pipeline.name;
    const ctx: PipelineContext = {
      pipeline,
      step: definition.name,
      signal,
      logger: createStepLogger(pipeline, definition.name),
    };
    let outcome: unknown;
    try {
      const step = this.resolveStep<PipelineStep<I, R>>(definition.step as Type<PipelineStep<I, R>>);
      // A copy, so a step that mutates what it was given cannot change what others saw.
      outcome = await Promise.race([step.run(input, { ...state }, ctx), rejectOnAbort(signal)]);
    } catch (error) {
      // Once the deadline (or the caller) has aborted, that is why the step ended.
      if (signal.aborted) throw asError(signal.reason);
      throw new PipelineStepError(pipeline, definition.name, error);
    }
    if (!isStepOutcome<R>(outcome)) {
      throw new PipelineStepError(
        pipeline,
        definition.name,
        new TypeError(`the step returned ${describe(outcome)} instead of proceed() or halt()`),
      );
    }
    return outcome;
  }
}

function isStepOutcome<R extends object>(value: unknown): value is StepOutcome<R> {
  if (typeof value !== 'object' || value === null) return false;
  const { action, partial } = value as Record<string, unknown>;
  return (action === 'proceed' || action === 'halt') && typeof partial === 'object' && partial !== null;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(asError(signal.reason));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function createStepLogger(pipeline: string, step: string): TaskLogger {
  const logger = new Logger(pipeline);
  const line = (message: string, details?: Record<string, unknown>) =>
    `${message} ${JSON.stringify({ step, ...details })}`;
  return {
    log: (message, details) => logger.log(line(message, details)),
    warn: (message, details) => logger.warn(line(message, details)),
    error: (message, details) => logger.error(line(message, details)),
    debug: (message, details) => logger.debug(line(message, details)),
  };
}
