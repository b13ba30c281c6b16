import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { definePipeline, DEFAULT_PIPELINE_TIMEOUT_MS, isPipelineDefinition } from './define-pipeline.js';
import { definePipelineStep, isPipelineStepDefinition } from './define-pipeline-step.js';
import type { PipelineStep } from './pipeline-step.js';
import { halt, proceed, type StepOutcome } from './step-outcome.js';

interface In {
  id: string;
}
interface Out {
  done: boolean;
}

@Injectable()
class DoneStep implements PipelineStep<In, Out> {
  async run(): Promise<StepOutcome<Out>> {
    return proceed({ done: true });
  }
}

describe('definePipeline', () => {
  it('returns a frozen, branded definition with defaults', () => {
    const pipeline = definePipeline<In, Out>({ name: 'a.flow', defaultSteps: ['a.one'] });
    expect(pipeline).toMatchObject({
      name: 'a.flow',
      version: 1,
      defaultSteps: ['a.one'],
      timeoutMs: DEFAULT_PIPELINE_TIMEOUT_MS,
    });
    expect(Object.isFrozen(pipeline)).toBe(true);
    expect(Object.isFrozen(pipeline.defaultSteps)).toBe(true);
    expect(isPipelineDefinition(pipeline)).toBe(true);
    expect(isPipelineDefinition({ ...pipeline, [Symbol.for('@coordinator/core.pipeline')]: undefined })).toBe(false);
  });

  it('refuses a name that is not namespaced, a bad version or timeout, and a malformed default step', () => {
    expect(() => definePipeline({ name: 'flow' })).toThrow(
      'pipeline name "flow" must be namespaced and lower-case, like "payments.receipt"',
    );
    expect(() => definePipeline({ name: 'a.flow', version: 0 })).toThrow(
      'pipeline a.flow: version must be an integer >= 1',
    );
    expect(() => definePipeline({ name: 'a.flow', timeoutMs: 0 })).toThrow(
      'pipeline a.flow: timeoutMs must be a finite number > 0',
    );
    expect(() => definePipeline({ name: 'a.flow', defaultSteps: ['One'] })).toThrow(
      'pipeline a.flow: default step "One" is not a namespaced step name',
    );
  });
});

describe('definePipelineStep', () => {
  const pipeline = definePipeline<In, Out>({ name: 'a.flow', defaultSteps: ['a.one'] });

  it('returns a frozen, branded step of its pipeline', () => {
    const step = definePipelineStep({ name: 'a.one', pipeline, step: DoneStep });
    expect(step).toMatchObject({ name: 'a.one', pipeline, step: DoneStep });
    expect(Object.isFrozen(step)).toBe(true);
    expect(isPipelineStepDefinition(step)).toBe(true);
    expect(isPipelineStepDefinition(pipeline)).toBe(false);
  });

  it('refuses a bad name, a pipeline not made by definePipeline, and a step that is not a class', () => {
    expect(() => definePipelineStep({ name: 'one', pipeline, step: DoneStep })).toThrow(
      'pipeline step name "one" must be namespaced and lower-case, like "payments.find-intent"',
    );
    expect(() =>
      definePipelineStep({ name: 'a.one', pipeline: { ...pipeline } as never, step: DoneStep }),
    ).not.toThrow();
    expect(() => definePipelineStep({ name: 'a.one', pipeline: { name: 'a.flow' } as never, step: DoneStep })).toThrow(
      'pipeline step a.one: pipeline must be made by definePipeline()',
    );
    expect(() => definePipelineStep({ name: 'a.one', pipeline, step: {} as never })).toThrow(
      'pipeline step a.one: step must be a class',
    );
  });
});

describe('proceed and halt', () => {
  it('build frozen outcomes, with an empty part by default', () => {
    expect(proceed<Out>({ done: true })).toEqual({ action: 'proceed', partial: { done: true } });
    expect(halt<Out>()).toEqual({ action: 'halt', partial: {} });
    expect(Object.isFrozen(halt())).toBe(true);
  });
});
