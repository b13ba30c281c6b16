import { definePipeline, definePipelineStep, halt, proceed, type PipelineStep } from '@coordinator/core';
import { Injectable } from '@nestjs/common';

export interface PreviewInput {
  subject: string;
}

export interface Preview {
  subject: string;
  tooLong: boolean;
}

export const previewPipeline = definePipeline<PreviewInput, Preview>({
  name: 'notifications.preview',
  defaultSteps: ['notifications.check-length', 'notifications.render'],
  timeoutMs: 500,
});

@Injectable()
export class CheckLengthStep implements PipelineStep<PreviewInput, Preview> {
  async run(input: PreviewInput) {
    // Halting stops the pipeline here with the result so far.
    return input.subject.length > 78 ? halt({ tooLong: true }) : proceed({ tooLong: false });
  }
}

@Injectable()
export class RenderStep implements PipelineStep<PreviewInput, Preview> {
  async run(input: PreviewInput) {
    return proceed({ subject: input.subject.trim() });
  }
}

export const previewSteps = [
  definePipelineStep({ name: 'notifications.check-length', pipeline: previewPipeline, step: CheckLengthStep }),
  definePipelineStep({ name: 'notifications.render', pipeline: previewPipeline, step: RenderStep }),
];
