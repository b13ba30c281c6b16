import { halt, proceed, type PipelineContext, type PipelineStep, type StepOutcome } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { PaymentProvider } from '../provider/payment-provider.js';
import type { ReceiptRequest, ReceiptState } from './receipt.pipeline.js';

/** Looks the order's payment up at the provider; halts when there is none. */
@Injectable()
export class FindPaymentStep implements PipelineStep<ReceiptRequest, ReceiptState> {
  constructor(private readonly provider: PaymentProvider) {}

  async run(
    input: ReceiptRequest,
    _state: Partial<ReceiptState>,
    ctx: PipelineContext,
  ): Promise<StepOutcome<ReceiptState>> {
    const found = await this.provider.findIntent(input.orderId, ctx);
    if (!found) return halt({ found: false });
    const intent = await this.provider.retrieveWithCharge(found.id, ctx);
    const charge = typeof intent.latest_charge === 'object' && intent.latest_charge ? intent.latest_charge : undefined;
    return proceed({
      found: true,
      intent: {
        id: intent.id,
        amount: intent.amount,
        currency: intent.currency,
        status: intent.status,
        amountRefunded: charge?.amount_refunded ?? 0,
      },
    });
  }
}
