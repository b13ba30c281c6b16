import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { defineExtension } from '../contract/define-extension.js';
import { definePipeline } from '../contract/define-pipeline.js';
import { definePipelineStep } from '../contract/define-pipeline-step.js';
import type { PipelineStep } from '../contract/pipeline-step.js';
import { proceed } from '../contract/step-outcome.js';
import { ExtensionLoadError, ExtensionRegistry } from './extension-registry.js';

interface Cart {
  sku: string;
}
interface Quote {
  total: number;
}

@Injectable()
class NoopStep implements PipelineStep<Cart, Quote> {
  async run() {
    return proceed<Quote>();
  }
}

const quote = definePipeline<Cart, Quote>({ name: 'shop.quote', defaultSteps: ['shop.price', 'shop.tax'] });
const refund = definePipeline<Cart, Quote>({ name: 'shop.refund', defaultSteps: ['shop.reverse'] });
const price = definePipelineStep({ name: 'shop.price', pipeline: quote, step: NoopStep });
const tax = definePipelineStep({ name: 'shop.tax', pipeline: quote, step: NoopStep });
const reverse = definePipelineStep({ name: 'shop.reverse', pipeline: refund, step: NoopStep });
const shop = defineExtension({
  name: 'shop',
  version: '1.0.0',
  pipelines: [quote, refund],
  pipelineSteps: [price, tax, reverse],
});

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ExtensionLoadError);
    return (error as ExtensionLoadError).problems;
  }
  throw new Error('expected the registry to refuse');
}

const stepNames = (registry: ExtensionRegistry, pipeline: string) =>
  registry.pipeline(pipeline).steps.map((s) => s.definition.name);

describe('ExtensionRegistry pipelines', () => {
  it('resolves each pipeline to its default steps, in order', () => {
    const registry = new ExtensionRegistry([shop]);
    expect(stepNames(registry, 'shop.quote')).toEqual(['shop.price', 'shop.tax']);
    expect(registry.pipeline('shop.quote').extension).toBe(shop);
    expect(registry.allPipelines().map((p) => p.definition.name)).toEqual(['shop.quote', 'shop.refund']);
    expect(registry.findPipeline('shop.nope')).toBeUndefined();
    expect(() => registry.pipeline('shop.nope')).toThrow('pipeline "shop.nope" is not part of any loaded extension');
  });

  it('lets deployment config reorder and drop steps', () => {
    const registry = new ExtensionRegistry([shop], {}, { 'shop.quote': ['shop.tax'] });
    expect(stepNames(registry, 'shop.quote')).toEqual(['shop.tax']);
    expect(
      stepNames(new ExtensionRegistry([shop], {}, { 'shop.quote': ['shop.tax', 'shop.price'] }), 'shop.quote'),
    ).toEqual(['shop.tax', 'shop.price']);
    expect(stepNames(registry, 'shop.refund')).toEqual(['shop.reverse']);
  });

  it('keeps working for callers that pass no pipeline config and extensions with no pipelines', () => {
    expect(new ExtensionRegistry([defineExtension({ name: 'bare', version: '1.0.0' })]).allPipelines()).toEqual([]);
  });

  it('refuses two pipelines with the same name, naming both extensions', () => {
    const other = defineExtension({ name: 'other', version: '1.0.0', pipelines: [quote] });
    expect(problemsOf(() => new ExtensionRegistry([shop, other]))).toContain(
      'pipeline "shop.quote" is defined by both "shop" and "other"',
    );
    const twice = defineExtension({ ...shop, pipelines: [quote, refund, quote] });
    expect(problemsOf(() => new ExtensionRegistry([twice]))).toEqual([
      'pipeline "shop.quote" is listed twice by extension "shop"',
    ]);
  });

  it('refuses a pipeline that is not namespaced by its extension', () => {
    const stray = defineExtension({ name: 'stray', version: '1.0.0', pipelines: [refund], pipelineSteps: [reverse] });
    expect(problemsOf(() => new ExtensionRegistry([stray]))).toContain(
      'pipeline "shop.refund" of extension "stray" must be named "stray.<pipeline>"',
    );
  });

  it('refuses a step that is not namespaced by its extension', () => {
    const helper = defineExtension({ name: 'helper', version: '1.0.0', pipelineSteps: [tax] });
    const shopWithoutTax = defineExtension({ ...shop, pipelineSteps: [price, reverse] });
    expect(problemsOf(() => new ExtensionRegistry([shopWithoutTax, helper]))).toEqual([
      'pipeline step "shop.tax" of extension "helper" must be named "helper.<step>"',
    ]);
  });

  it('refuses two steps with the same name', () => {
    const twice = defineExtension({ ...shop, pipelineSteps: [price, tax, reverse, tax] });
    expect(problemsOf(() => new ExtensionRegistry([twice]))).toEqual([
      'pipeline step "shop.tax" is listed twice by extension "shop"',
    ]);
    const other = defineExtension({ name: 'other', version: '1.0.0', pipelineSteps: [tax] });
    expect(problemsOf(() => new ExtensionRegistry([shop, other]))).toEqual([
      'pipeline step "shop.tax" is defined by both "shop" and "other"',
    ]);
  });

  it('refuses a step whose pipeline no loaded extension defines', () => {
    const orphan = defineExtension({ ...shop, pipelines: [quote] });
    expect(problemsOf(() => new ExtensionRegistry([orphan]))).toEqual([
      'pipeline step "shop.reverse" of extension "shop" belongs to pipeline "shop.refund", which no loaded extension defines',
    ]);
  });

  it('refuses a configured step list naming an unknown step', () => {
    expect(problemsOf(() => new ExtensionRegistry([shop], {}, { 'shop.quote': ['shop.price', 'shop.nope'] }))).toEqual([
      'COORDINATOR_PIPELINES["shop.quote"] names step "shop.nope", which no loaded extension defines',
    ]);
  });

  it('refuses a configured step list naming a step of another pipeline', () => {
    expect(
      problemsOf(() => new ExtensionRegistry([shop], {}, { 'shop.quote': ['shop.price', 'shop.reverse'] })),
    ).toEqual([
      'COORDINATOR_PIPELINES["shop.quote"] names step "shop.reverse", which belongs to pipeline "shop.refund"',
    ]);
  });

  it('refuses a configured step list naming a step twice', () => {
    expect(problemsOf(() => new ExtensionRegistry([shop], {}, { 'shop.quote': ['shop.tax', 'shop.tax'] }))).toEqual([
      'COORDINATOR_PIPELINES["shop.quote"] names step "shop.tax" twice',
    ]);
  });

  it('refuses config naming an unknown pipeline', () => {
    expect(problemsOf(() => new ExtensionRegistry([shop], {}, { 'shop.nope': ['shop.price'] }))).toEqual([
      'COORDINATOR_PIPELINES names pipeline "shop.nope", which no loaded extension defines',
    ]);
  });

  it('refuses a pipeline with an empty step list, from config or by default', () => {
    expect(problemsOf(() => new ExtensionRegistry([shop], {}, { 'shop.quote': [] }))).toEqual([
      'COORDINATOR_PIPELINES["shop.quote"] is empty; a pipeline needs at least one step',
    ]);
    const bare = definePipeline<Cart, Quote>({ name: 'shop.bare' });
    const withBare = defineExtension({ ...shop, pipelines: [quote, refund, bare] });
    expect(problemsOf(() => new ExtensionRegistry([withBare]))).toEqual([
      'pipeline "shop.bare" of extension "shop" has no steps; give it defaultSteps or a list in COORDINATOR_PIPELINES',
    ]);
    // Config can supply the steps a pipeline ships without.
    expect(() => new ExtensionRegistry([withBare], {}, { 'shop.bare': ['shop.price'] })).toThrow(
      'COORDINATOR_PIPELINES["shop.bare"] names step "shop.price", which belongs to pipeline "shop.quote"',
    );
  });

  it('refuses default steps that are unknown or belong to another pipeline, naming the extension', () => {
    const broken = definePipeline<Cart, Quote>({ name: 'shop.broken', defaultSteps: ['shop.gone', 'shop.price'] });
    const withBroken = defineExtension({ ...shop, pipelines: [quote, refund, broken] });
    expect(problemsOf(() => new ExtensionRegistry([withBroken]))).toEqual([
      'pipeline "shop.broken" of extension "shop" has default step "shop.gone", which no loaded extension defines',
      'pipeline "shop.broken" of extension "shop" has default step "shop.price", which belongs to pipeline "shop.quote"',
    ]);
    // Deployment config replaces the broken default list.
    const fixedStep = definePipelineStep({ name: 'shop.fix', pipeline: broken, step: NoopStep });
    const fixed = defineExtension({ ...withBroken, pipelineSteps: [price, tax, reverse, fixedStep] });
    expect(stepNames(new ExtensionRegistry([fixed], {}, { 'shop.broken': ['shop.fix'] }), 'shop.broken')).toEqual([
      'shop.fix',
    ]);
  });

  it('reports every pipeline problem together with the other wiring problems', () => {
    const problems = problemsOf(
      () =>
        new ExtensionRegistry([shop], { 'x->y.z': { enabled: false } }, { 'shop.quote': ['shop.nope'], nope: ['a'] }),
    );
    expect(problems).toEqual([
      'COORDINATOR_WIRING names handler "x->y.z", which no loaded extension declares',
      'COORDINATOR_PIPELINES names pipeline "nope", which no loaded extension defines',
      'COORDINATOR_PIPELINES["shop.quote"] names step "shop.nope", which no loaded extension defines',
    ]);
  });
});
