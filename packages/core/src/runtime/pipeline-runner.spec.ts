import { describe, expect, it } from '@jest/globals';
import { Injectable, type Type } from '@nestjs/common';
import { defineExtension } from '../contract/define-extension.js';
import { definePipeline } from '../contract/define-pipeline.js';
import { definePipelineStep } from '../contract/define-pipeline-step.js';
import { PipelineStepError, PipelineTimeoutError } from '../contract/pipeline-errors.js';
import type { PipelineContext, PipelineStep } from '../contract/pipeline-step.js';
import { halt, proceed, type StepOutcome } from '../contract/step-outcome.js';
import { ExtensionRegistry } from './extension-registry.js';
import type { PipelineConfig } from './pipeline-config.js';
import { PipelineRunner } from './pipeline-runner.js';

interface Order {
  sku: string;
  quantity: number;
}
interface Quote {
  unitPrice: number;
  subtotal: number;
  discount: number;
  total: number;
  note: string;
}

/** What each step saw, in the order the steps ran. */
let seen: { step: string; state: Partial<Quote>; ctx: PipelineContext }[] = [];

@Injectable()
class PriceStep implements PipelineStep<Order, Quote> {
  async run(input: Order, state: Partial<Quote>, ctx: PipelineContext): Promise<StepOutcome<Quote>> {
    seen.push({ step: ctx.step, state, ctx });
    return proceed({ unitPrice: 5, subtotal: 5 * input.quantity, note: 'priced' });
  }
}

@Injectable()
class DiscountStep implements PipelineStep<Order, Quote> {
  async run(input: Order, state: Partial<Quote>, ctx: PipelineContext): Promise<StepOutcome<Quote>> {
    seen.push({ step: ctx.step, state, ctx });
    if (input.sku === 'gift') return halt({ discount: state.subtotal ?? 0, total: 0, note: 'free gift' });
    return proceed({ discount: input.quantity >= 10 ? 5 : 0 });
  }
}

@Injectable()
class TotalStep implements PipelineStep<Order, Quote> {
  async run(_input: Order, state: Partial<Quote>, ctx: PipelineContext): Promise<StepOutcome<Quote>> {
    seen.push({ step: ctx.step, state, ctx });
    return proceed({ total: (state.subtotal ?? 0) - (state.discount ?? 0) });
  }
}

const boom = new Error('price list unavailable');

@Injectable()
class FailingStep implements PipelineStep<Order, Quote> {
  async run(): Promise<StepOutcome<Quote>> {
    throw boom;
  }
}

/** Waits for ctx.signal, as a step calling a slow service with it would. */
@Injectable()
class SlowStep implements PipelineStep<Order, Quote> {
  run(_input: Order, _state: Partial<Quote>, ctx: PipelineContext): Promise<StepOutcome<Quote>> {
    seen.push({ step: ctx.step, state: {}, ctx });
    return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
  }
}

/** Ignores its signal entirely: the deadline must still end the run. */
@Injectable()
class DeafStep implements PipelineStep<Order, Quote> {
  run(): Promise<StepOutcome<Quote>> {
    return new Promise(() => {});
  }
}

@Injectable()
class ForgetfulStep implements PipelineStep<Order, Quote> {
  async run(): Promise<StepOutcome<Quote>> {
    return undefined as never;
  }
}

const quote = definePipeline<Order, Quote>({
  name: 'shop.quote',
  version: 2,
  defaultSteps: ['shop.price', 'shop.discount', 'shop.total'],
  timeoutMs: 100,
});
const steps = [
  definePipelineStep({ name: 'shop.price', pipeline: quote, step: PriceStep }),
  definePipelineStep({ name: 'shop.discount', pipeline: quote, step: DiscountStep }),
  definePipelineStep({ name: 'shop.total', pipeline: quote, step: TotalStep }),
  definePipelineStep({ name: 'shop.fail', pipeline: quote, step: FailingStep }),
  definePipelineStep({ name: 'shop.slow', pipeline: quote, step: SlowStep }),
  definePipelineStep({ name: 'shop.deaf', pipeline: quote, step: DeafStep }),
  definePipelineStep({ name: 'shop.forgetful', pipeline: quote, step: ForgetfulStep }),
];
const shop = defineExtension({ name: 'shop', version: '1.0.0', pipelines: [quote], pipelineSteps: steps });

function runnerWith(config: PipelineConfig = {}, resolve = (type: Type<unknown>) => new type()): PipelineRunner {
  seen = [];
  return new PipelineRunner(new ExtensionRegistry([shop], {}, config), resolve as <T>(type: Type<T>) => T);
}

describe('PipelineRunner', () => {
  it('runs the steps in order, each with the result accumulated so far, and merges their results', async () => {
    const result = await runnerWith().run(quote, { sku: 'tea', quantity: 10 });
    expect(result).toEqual({
      result: { unitPrice: 5, subtotal: 50, discount: 5, total: 45, note: 'priced' },
      steps: ['shop.price', 'shop.discount', 'shop.total'],
    });
    expect(result.haltedBy).toBeUndefined();
    expect(seen.map((s) => [s.step, s.state])).toEqual([
      ['shop.price', {}],
      ['shop.discount', { unitPrice: 5, subtotal: 50, note: 'priced' }],
      ['shop.total', { unitPrice: 5, subtotal: 50, note: 'priced', discount: 5 }],
    ]);
  });

  it('stops at a step that halts, keeping the result so far plus the halting step’s part', async () => {
    const result = await runnerWith().run(quote, { sku: 'gift', quantity: 3 });
    expect(result).toEqual({
      result: { unitPrice: 5, subtotal: 15, discount: 15, total: 0, note: 'free gift' },
      steps: ['shop.price', 'shop.discount'],
      haltedBy: 'shop.discount',
    });
    expect(seen.map((s) => s.step)).toEqual(['shop.price', 'shop.discount']);
  });

  it('runs the step list of deployment config: reordered and with steps dropped', async () => {
    const result = await runnerWith({ 'shop.quote': ['shop.discount', 'shop.price'] }).run(quote, {
      sku: 'tea',
      quantity: 10,
    });
    expect(result).toEqual({
      result: { discount: 5, unitPrice: 5, subtotal: 50, note: 'priced' },
      steps: ['shop.discount', 'shop.price'],
    });
  });

  it('gives each step its context: names, the run’s signal and a logger', async () => {
    await runnerWith().run(quote, { sku: 'tea', quantity: 1 });
    const ctx = seen[0]!.ctx;
    expect(ctx).toMatchObject({ pipeline: 'shop.quote', step: 'shop.price' });
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.signal.aborted).toBe(false);
    expect(typeof ctx.logger.log).toBe('function');
  });

  it('hands each step a copy of the state, so mutating it changes nothing', async () => {
    @Injectable()
    class Vandal implements PipelineStep<Order, Quote> {
      async run(_input: Order, state: Partial<Quote>): Promise<StepOutcome<Quote>> {
        state.total = -1;
        return proceed();
      }
    }
    const p = definePipeline<Order, Quote>({ name: 'vandal.quote', defaultSteps: ['vandal.break', 'vandal.price'] });
    const extension = defineExtension({
      name: 'vandal',
      version: '1.0.0',
      pipelines: [p],
      pipelineSteps: [
        definePipelineStep({ name: 'vandal.break', pipeline: p, step: Vandal }),
        definePipelineStep({ name: 'vandal.price', pipeline: p, step: PriceStep }),
      ],
    });
    const runner = new PipelineRunner(new ExtensionRegistry([extension]), (type) => new type());
    expect((await runner.run(p, { sku: 'x', quantity: 1 })).result).toEqual({
      unitPrice: 5,
      subtotal: 5,
      note: 'priced',
    });
  });

  it('rejects with PipelineStepError naming the pipeline and step when a step throws, keeping the cause', async () => {
    const run = runnerWith({ 'shop.quote': ['shop.price', 'shop.fail', 'shop.total'] }).run(quote, {
      sku: 'tea',
      quantity: 1,
    });
    const error = (await run.catch((e: unknown) => e)) as PipelineStepError;
    expect(error).toBeInstanceOf(PipelineStepError);
    expect(error).toMatchObject({
      name: 'PipelineStepError',
      pipeline: 'shop.quote',
      step: 'shop.fail',
      message: 'pipeline "shop.quote" failed at step "shop.fail": price list unavailable',
    });
    expect(error.cause).toBe(boom);
    expect(seen.map((s) => s.step)).toEqual(['shop.price']);
  });

  it('rejects with PipelineStepError when a step returns something other than proceed() or halt()', async () => {
    const error = (await runnerWith({ 'shop.quote': ['shop.forgetful'] })
      .run(quote, { sku: 'tea', quantity: 1 })
      .catch((e: unknown) => e)) as PipelineStepError;
    expect(error).toBeInstanceOf(PipelineStepError);
    expect(error.message).toBe(
      'pipeline "shop.quote" failed at step "shop.forgetful": the step returned undefined instead of proceed() or halt()',
    );
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('rejects with PipelineStepError when the step cannot be created', async () => {
    const missing = new Error('Nest could not find PriceStep');
    const runner = runnerWith({}, () => {
      throw missing;
    });
    await expect(runner.run(quote, { sku: 'tea', quantity: 1 })).rejects.toMatchObject({
      name: 'PipelineStepError',
      step: 'shop.price',
      cause: missing,
    });
  });

  it('aborts the running step through ctx.signal at the pipeline timeout and rejects with PipelineTimeoutError', async () => {
    const started = Date.now();
    const error = (await runnerWith({ 'shop.quote': ['shop.price', 'shop.slow', 'shop.total'] })
      .run(quote, { sku: 'tea', quantity: 1 })
      .catch((e: unknown) => e)) as PipelineTimeoutError;
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(error).toBeInstanceOf(PipelineTimeoutError);
    expect(error).toMatchObject({
      name: 'PipelineTimeoutError',
      pipeline: 'shop.quote',
      step: 'shop.slow',
      timeoutMs: 100,
      message: 'pipeline "shop.quote" timed out after 100 ms in step "shop.slow"',
    });
    const slow = seen.find((s) => s.step === 'shop.slow')!;
    expect(slow.ctx.signal.aborted).toBe(true);
    expect(slow.ctx.signal.reason).toBe(error);
    expect(seen.map((s) => s.step)).toEqual(['shop.price', 'shop.slow']);
  });

  it('ends the run at the timeout even when a step ignores its signal', async () => {
    await expect(
      runnerWith({ 'shop.quote': ['shop.deaf', 'shop.total'] }).run(quote, { sku: 'tea', quantity: 1 }),
    ).rejects.toBeInstanceOf(PipelineTimeoutError);
    expect(seen).toEqual([]);
  });

  it('ends the run when the caller’s signal aborts, with its reason', async () => {
    const caller = new AbortController();
    const reason = new Error('client went away');
    const run = runnerWith({ 'shop.quote': ['shop.slow'] }).run(
      quote,
      { sku: 'tea', quantity: 1 },
      { signal: caller.signal },
    );
    setTimeout(() => caller.abort(reason), 10);
    await expect(run).rejects.toBe(reason);
  });

  it('refuses a pipeline no loaded extension defines, or one built for another version', async () => {
    const runner = runnerWith();
    const stranger = definePipeline<Order, Quote>({ name: 'shop.stranger', defaultSteps: ['shop.price'] });
    await expect(runner.run(stranger, { sku: 'x', quantity: 1 })).rejects.toThrow(
      'pipeline "shop.stranger" is not part of any loaded extension',
    );
    const older = definePipeline<Order, Quote>({ name: 'shop.quote', version: 1, defaultSteps: ['shop.price'] });
    await expect(runner.run(older, { sku: 'x', quantity: 1 })).rejects.toThrow(
      'pipeline "shop.quote" is loaded at version 2, but the caller was built for version 1',
    );
  });
});
