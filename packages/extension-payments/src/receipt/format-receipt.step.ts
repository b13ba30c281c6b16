import { proceed, type PipelineStep, type StepOutcome } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import type { Receipt, ReceiptRequest, ReceiptState } from './receipt.pipeline.js';

/** Turns the provider's payment into the receipt the caller sees. */
@Injectable()
export class FormatReceiptStep implements PipelineStep<ReceiptRequest, ReceiptState> {
  async run(input: ReceiptRequest, state: Partial<ReceiptState>): Promise<StepOutcome<ReceiptState>> {
    const intent = state.intent;
    // A deployment that drops the lookup step must hear about it, not get an empty receipt.
    if (!intent) throw new Error('no payment to format: the pipeline must run payments.find-payment first');
    const currency = intent.currency.toUpperCase();
    const receipt: Receipt = {
      orderId: input.orderId,
      paymentIntentId: intent.id,
      amount: intent.amount,
      currency,
      display: `${(intent.amount / 100).toFixed(2)} ${currency}`,
      status: statusOf(intent.status, intent.amountRefunded, intent.amount),
      amountRefunded: intent.amountRefunded,
    };
    return proceed({ receipt });
  }
}

function statusOf(providerStatus: string, refunded: number, amount: number): Receipt['status'] {
  if (providerStatus !== 'succeeded') return providerStatus === 'canceled' ? 'failed' : 'pending';
  return refunded > 0 && refunded >= amount ? 'refunded' : 'paid';
}
