import { definePipeline } from '@coordinator/core';

/**
 * Input of the `payments.receipt` pipeline.
 *
 * @example
 * ```ts
 * await pipelines.run(receiptPipeline, { orderId });
 * ```
 */
export interface ReceiptRequest {
  orderId: string;
}

/**
 * What `GET /payments/:orderId/receipt` answers.
 *
 * @example
 * ```json
 * { "orderId": "…", "paymentIntentId": "pi_…", "amount": 3998, "currency": "EUR", "display": "39.98 EUR", "status": "paid", "amountRefunded": 0 }
 * ```
 */
export interface Receipt {
  orderId: string;
  paymentIntentId: string;
  amount: number;
  currency: string;
  display: string;
  status: 'paid' | 'refunded' | 'pending' | 'failed';
  amountRefunded: number;
}

/** State the steps pass along: what the provider said, then the receipt. */
export interface ReceiptState {
  found: boolean;
  intent: { id: string; amount: number; currency: string; status: string; amountRefunded: number };
  receipt: Receipt;
}

/**
 * Answers a receipt while the caller waits: find the order's payment at the provider,
 * then format it. Deployment config may add steps (say, tax details) or replace one.
 * The whole run is bounded by a short timeout, because an HTTP request is waiting.
 */
export const receiptPipeline = definePipeline<ReceiptRequest, ReceiptState>({
  name: 'payments.receipt',
  version: 1,
  defaultSteps: ['payments.find-payment', 'payments.format-receipt'],
  timeoutMs: 3_000,
});
