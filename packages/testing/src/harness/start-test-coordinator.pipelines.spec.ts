import type { PipelineResult } from '@coordinator/core';
import { ExtensionLoadError, PipelineRunner } from '@coordinator/core/runtime';
import { afterEach, describe, expect, it } from '@jest/globals';
import { quoteExtension, quotePipeline, type Quote } from './fixtures/quote-extension.js';
import { startTestCoordinator, type TestCoordinator, type TestMode } from './start-test-coordinator.js';

describe.each<TestMode>(['inline', 'redis'])('pipelines through startTestCoordinator in %s mode', (mode) => {
  let coordinator: TestCoordinator | undefined;
  afterEach(async () => {
    await coordinator?.close();
    coordinator = undefined;
  });

  it('runs the default steps in the API host and answers with the result over HTTP', async () => {
    coordinator = await startTestCoordinator({ extensions: [quoteExtension], mode });
    const res = await coordinator.http.post<PipelineResult<Quote>>('/quotes', { sku: 'tea', quantity: 10 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      result: { available: true, unitPrice: 4, subtotal: 40, discount: 4, total: 36 },
      steps: ['quote.stock', 'quote.price', 'quote.bulk-discount', 'quote.total'],
    });
    // Pipelines are request-time: nothing was queued.
    expect(coordinator.journal.entries).toHaveLength(0);
  });

  it('stops at a step that halts', async () => {
    coordinator = await startTestCoordinator({ extensions: [quoteExtension], mode });
    const res = await coordinator.http.post<PipelineResult<Quote>>('/quotes', { sku: 'sold-out', quantity: 1 });
    expect(res.body).toEqual({ result: { available: false }, steps: ['quote.stock'], haltedBy: 'quote.stock' });
  });

  it('follows a deployment step list that reorders and drops steps', async () => {
    coordinator = await startTestCoordinator({
      extensions: [quoteExtension],
      mode,
      pipelines: { 'quote.basket': ['quote.price', 'quote.total', 'quote.stock'] },
    });
    const res = await coordinator.http.post<PipelineResult<Quote>>('/quotes', { sku: 'sold-out', quantity: 10 });
    expect(res.body).toEqual({
      result: { unitPrice: 10, subtotal: 100, total: 100, available: false },
      steps: ['quote.price', 'quote.total', 'quote.stock'],
      haltedBy: 'quote.stock',
    });
  });

  it('fails the request when a step throws, instead of answering with a partial result', async () => {
    coordinator = await startTestCoordinator({
      extensions: [quoteExtension],
      mode,
      pipelines: { 'quote.basket': ['quote.price', 'quote.broken', 'quote.total'] },
    });
    const res = await coordinator.http.post<{ message: string }>('/quotes', { sku: 'tea', quantity: 1 });
    expect(res.status).toBe(502);
    expect(res.body.message).toBe('pipeline step quote.broken failed');
    // The worker host provides the runner too, and says which step failed and why.
    await expect(
      coordinator.worker.app.get(PipelineRunner).run(quotePipeline, { sku: 'tea', quantity: 1 }),
    ).rejects.toMatchObject({
      name: 'PipelineStepError',
      message: 'pipeline "quote.basket" failed at step "quote.broken": tax service unavailable',
    });
  });

  it('runs the same pipeline in the worker host', async () => {
    coordinator = await startTestCoordinator({ extensions: [quoteExtension], mode });
    const runner = coordinator.worker.app.get(PipelineRunner);
    expect(await runner.run(quotePipeline, { sku: 'mug', quantity: 2 })).toEqual({
      result: { available: true, unitPrice: 10, subtotal: 20, discount: 0, total: 20 },
      steps: ['quote.stock', 'quote.price', 'quote.bulk-discount', 'quote.total'],
    });
  });

  it('refuses to start when the step list names an unknown step', async () => {
    const start = startTestCoordinator({
      extensions: [quoteExtension],
      mode,
      pipelines: { 'quote.basket': ['quote.price', 'quote.tax'] },
    });
    await expect(start).rejects.toBeInstanceOf(ExtensionLoadError);
    await expect(start).rejects.toMatchObject({
      problems: ['COORDINATOR_PIPELINES["quote.basket"] names step "quote.tax", which no loaded extension defines'],
    });
  });
});
