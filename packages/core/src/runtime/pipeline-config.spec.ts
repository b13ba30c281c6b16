import { describe, expect, it } from '@jest/globals';
import { parsePipelineConfig } from './pipeline-config.js';

describe('parsePipelineConfig', () => {
  it('reads step lists keyed by pipeline name, keeping their order', () => {
    expect(parsePipelineConfig('{"payments.receipt": ["payments.format-receipt", "payments.find-intent"]}')).toEqual({
      'payments.receipt': ['payments.format-receipt', 'payments.find-intent'],
    });
  });

  it('treats unset or blank as no config', () => {
    expect(parsePipelineConfig(undefined)).toEqual({});
    expect(parsePipelineConfig('  ')).toEqual({});
  });

  it('keeps an empty list, which the registry refuses naming the pipeline', () => {
    expect(parsePipelineConfig('{"a.b": []}')).toEqual({ 'a.b': [] });
  });

  it('refuses what is not JSON, naming the variable', () => {
    expect(() => parsePipelineConfig('{"a.b": [')).toThrow(/^COORDINATOR_PIPELINES is not valid JSON: /);
  });

  it('refuses JSON that is not an object keyed by pipeline name', () => {
    for (const raw of ['[]', '"a.b"', 'null', '3']) {
      expect(() => parsePipelineConfig(raw)).toThrow(
        'COORDINATOR_PIPELINES must be a JSON object keyed by pipeline name, like {"orders.quote": [...]}',
      );
    }
  });

  it('refuses a step list that is not an array of names, naming the pipeline', () => {
    for (const raw of ['{"a.b": "a.c"}', '{"a.b": [1]}', '{"a.b": [""]}', '{"a.b": {"0": "a.c"}}']) {
      expect(() => parsePipelineConfig(raw)).toThrow(
        'COORDINATOR_PIPELINES["a.b"] must be an array of step names, like ["orders.price"]',
      );
    }
  });
});
