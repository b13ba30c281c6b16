import { PipelineRunner, RequireScopes, TaskStatusReader } from '@coordinator/core';
import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { receiptPipeline, type Receipt } from './receipt.pipeline.js';

/**
 * `GET /payments/:orderId/receipt`: one of the few answers that cannot wait for a task,
 * so it runs the `payments.receipt` pipeline in the request, under its short timeout
 * (a provider that is too slow makes this answer 504; the rest of the API is unaffected).
 * Only the caller who placed the order (or an admin) gets it: anyone else gets 404.
 */
@Controller('payments')
export class ReceiptController {
  constructor(
    private readonly pipelines: PipelineRunner,
    private readonly statuses: TaskStatusReader,
  ) {}

  @Get(':orderId/receipt')
  @RequireScopes('payments:read')
  async receipt(@Param('orderId', new ParseUUIDPipe({ version: '4' })) orderId: string): Promise<Receipt> {
    // The host shows a caller only the orders it placed; the provider would show any.
    const tasks = await this.statuses.listByCorrelation(`order-${orderId}`);
    if (tasks.length === 0) throw new NotFoundException(`no payment for order ${orderId}`);
    const { result } = await this.pipelines.run(receiptPipeline, { orderId });
    if (!result.found || !result.receipt) throw new NotFoundException(`no payment for order ${orderId}`);
    return result.receipt;
  }
}
