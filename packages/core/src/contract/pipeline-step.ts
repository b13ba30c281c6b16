import type { StepOutcome } from './step-outcome.js';
import type { TaskLogger } from './task-context.js';

/**
 * What a running step knows about its run, handed to {@link PipelineStep.run}.
 *
 * @example
 * ```ts
 * async run(input: ReceiptInput, state: Partial<Receipt>, ctx: PipelineContext) {
 *   const intent = await this.psp.find(input.orderId, { signal: ctx.signal });
 *   ctx.logger.debug('found intent', { id: intent.id });
 *   return proceed({ paymentIntentId: intent.id });
 * }
 * ```
 */
export interface PipelineContext {
  /** The pipeline's name. */
  readonly pipeline: string;
  /** This step's name. */
  readonly step: string;
  /** Fires when the pipeline's `timeoutMs` is reached or the caller gives up; pass it on. */
  readonly signal: AbortSignal;
  /** Bound to the pipeline and step. */
  readonly logger: TaskLogger;
}

/**
 * The code of one pipeline step. Implement it on an `@Injectable()` class; both hosts
 * create it through dependency injection, so it may inject the extension's `providers`
 * (not its `workerProviders`, which the API host never creates). Throwing fails the
 * whole run with a `PipelineStepError`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class FindIntentStep implements PipelineStep<ReceiptInput, Receipt> {
 *   async run(input: ReceiptInput, state: Partial<Receipt>, ctx: PipelineContext): Promise<StepOutcome<Receipt>> {
 *     return proceed({ paymentIntentId: `pi_${input.orderId}` });
 *   }
 * }
 * ```
 */
export interface PipelineStep<I, R extends object> {
  /**
   * @param input what the run started from, the same for every step
   * @param state the result accumulated by the steps before this one (a copy)
   */
  run(input: I, state: Partial<R>, ctx: PipelineContext): Promise<StepOutcome<R>>;
}
