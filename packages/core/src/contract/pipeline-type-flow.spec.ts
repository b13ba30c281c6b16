/*
 * A pipeline's input and result types flow from definePipeline() to its steps and to
 * PipelineRunner.run(). The `@ts-expect-error` lines are checked by `pnpm typecheck`:
 * if one of them stopped being an error, the type check fails.
 */
import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { ExtensionRegistry } from '../runtime/extension-registry.js';
import { PipelineRunner } from '../runtime/pipeline-runner.js';
import { defineExtension } from './define-extension.js';
import { definePipeline } from './define-pipeline.js';
import { definePipelineStep } from './define-pipeline-step.js';
import type { PipelineResult } from './pipeline-result.js';
import type { PipelineContext, PipelineStep } from './pipeline-step.js';
import { halt, proceed, type StepOutcome } from './step-outcome.js';

interface ReceiptInput {
  orderId: string;
}
interface Receipt {
  paymentIntentId: string;
  amount: number;
}
interface Colour {
  colour: string;
}
interface Paint {
  litres: number;
}

@Injectable()
class FindIntentStep implements PipelineStep<ReceiptInput, Receipt> {
  async run(input: ReceiptInput, _state: Partial<Receipt>, _ctx: PipelineContext): Promise<StepOutcome<Receipt>> {
    return proceed({ paymentIntentId: `pi_${input.orderId}` });
  }
}

@Injectable()
class AmountStep implements PipelineStep<ReceiptInput, Receipt> {
  async run(_input: ReceiptInput, state: Partial<Receipt>): Promise<StepOutcome<Receipt>> {
    return halt({ amount: state.paymentIntentId ? 42 : 0 });
  }
}

/** A step written for another pipeline's input and result. */
@Injectable()
class MixStep implements PipelineStep<Colour, Paint> {
  async run(input: Colour): Promise<StepOutcome<Paint>> {
    return proceed({ litres: input.colour.length });
  }
}

/** Right input, wrong result. */
@Injectable()
class WrongResultStep implements PipelineStep<ReceiptInput, Paint> {
  async run(): Promise<StepOutcome<Paint>> {
    return proceed({ litres: 1 });
  }
}

const receiptPipeline = definePipeline<ReceiptInput, Receipt>({
  name: 'pay.receipt',
  defaultSteps: ['pay.find-intent', 'pay.amount'],
});
const paintPipeline = definePipeline<Colour, Paint>({ name: 'pay.paint', defaultSteps: ['pay.mix'] });
const findIntent = definePipelineStep({ name: 'pay.find-intent', pipeline: receiptPipeline, step: FindIntentStep });
const amount = definePipelineStep({ name: 'pay.amount', pipeline: receiptPipeline, step: AmountStep });
const mix = definePipelineStep({ name: 'pay.mix', pipeline: paintPipeline, step: MixStep });

const pay = defineExtension({
  name: 'pay',
  version: '1.0.0',
  pipelines: [receiptPipeline, paintPipeline],
  pipelineSteps: [findIntent, amount, mix],
});

describe('pipeline types', () => {
  it('flow from the definition to the steps and to the run’s result', async () => {
    const runner = new PipelineRunner(new ExtensionRegistry([pay]), (type) => new type());
    const run: PipelineResult<Receipt> = await runner.run(receiptPipeline, { orderId: 'o-1' });
    const intent: string | undefined = run.result.paymentIntentId;
    expect(intent).toBe('pi_o-1');
    expect(run).toEqual({
      result: { paymentIntentId: 'pi_o-1', amount: 42 },
      steps: ['pay.find-intent', 'pay.amount'],
      haltedBy: 'pay.amount',
    });
  });

  it('are enforced at compile time', async () => {
    const runner = new PipelineRunner(new ExtensionRegistry([pay]), (type) => new type());
    const attempts = [
      // @ts-expect-error -- the input of another pipeline
      () => runner.run(receiptPipeline, { colour: 'red' }),
      // @ts-expect-error -- a missing input
      () => runner.run(receiptPipeline),
      // @ts-expect-error -- an input field of the wrong type
      () => runner.run(receiptPipeline, { orderId: 7 }),
    ];
    // Pipeline inputs are not validated at run time (they are not DTOs): the types are what stop these.
    expect(attempts).toHaveLength(3);

    const run = await runner.run(receiptPipeline, { orderId: 'o-2' });
    // @ts-expect-error -- the result of a receipt is not paint
    const paint: PipelineResult<Paint> = run;
    // @ts-expect-error -- a result field has the type its pipeline declared
    const wrongField: string | undefined = run.result.amount;
    expect([paint, wrongField]).toBeDefined();

    // @ts-expect-error -- a step class written for another pipeline's input and result
    definePipelineStep({ name: 'pay.mix-receipt', pipeline: receiptPipeline, step: MixStep });
    // @ts-expect-error -- a step class whose result is not the pipeline's
    definePipelineStep({ name: 'pay.wrong-result', pipeline: receiptPipeline, step: WrongResultStep });
    // @ts-expect-error -- a partial result with a field the result does not have
    proceed<Receipt>({ litres: 2 });
    // @ts-expect-error -- a partial result field of the wrong type
    halt<Receipt>({ amount: 'lots' });
    expect(definePipelineStep({ name: 'pay.mix-again', pipeline: paintPipeline, step: MixStep }).pipeline).toBe(
      paintPipeline,
    );
  });
});
