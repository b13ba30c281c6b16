import { PipelineRunner } from '@coordinator/core';
import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { receiptPipeline, type Receipt } from './receipt.pipeline.js';

/**
 * `GET /payments/:orderId/receipt`: one of the few answers that cannot wait for a task,
 * so it runs the `payments.receipt` pipeline in the request, under its short timeout
 * (a provider that is too slow makes this answer 504; the rest of the API is unaffected).
 */
@Controller('payments')
export class ReceiptController {
  constructor(private readonly pipelines: PipelineRunner) {}

  @Get(':orderId/receipt')
  async receipt(@Param('orderId', new ParseUUIDPipe({ version: '4' })) orderId: string): Promise<Receipt> {
    const { result } = await this.pipelines.run(receiptPipeline, { orderId });
    if (!result.found || !result.receipt) throw new NotFoundException(`no payment for order ${orderId}`);
    return result.receipt;
  }
}
