/**
 * What a pipeline run produced.
 *
 * @example
 * ```ts
 * const { result, steps, haltedBy } = await runner.run(receiptPipeline, { orderId: 'o-1' });
 * ```
 */
export interface PipelineResult<R extends object> {
  /** Every step's partial result, merged in run order. */
  result: Partial<R>;
  /** Names of the steps that ran, in order, the halting one included. */
  steps: string[];
  /** The step that halted the run, when one did. */
  haltedBy?: string;
}

/**
 * Options of `PipelineRunner.run`.
 *
 * @example
 * ```ts
 * await runner.run(receiptPipeline, input, { signal: request.signal });
 * ```
 */
export interface PipelineRunOptions {
  /** Ends the run early (the caller went away); the run rejects with the signal's reason. */
  signal?: AbortSignal;
}
