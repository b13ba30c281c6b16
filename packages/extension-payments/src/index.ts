/**
 * Payments extension: creates and captures the payment of every placed order at the
 * payment provider (Stripe, or anything that speaks its API), turns the provider's
 * signed webhooks into `payment.captured` / `payment.failed` / `payment.refunded`, and
 * refunds cancelled orders. `GET /payments/:orderId/receipt` answers from the provider
 * through the `payments.receipt` pipeline.
 *
 * Configure with `PAYMENTS_PROVIDER_URL`, `PAYMENTS_PROVIDER_API_KEY`,
 * `PAYMENTS_STRIPE_WEBHOOK_SECRET` (and optionally `PAYMENTS_PROVIDER_TIMEOUT_MS`,
 * `PAYMENTS_DEFAULT_PAYMENT_METHOD`). Its tasks call the provider through the
 * `payment-provider` circuit breaker and bulkhead ({@link paymentProvider}): while the
 * provider is down, they wait without spending attempts.
 *
 * @packageDocumentation
 */
import { defineExtension, definePipelineStep, onSignal } from '@coordinator/core';
import { createRequire } from 'node:module';
import { WebhookVerifier } from './http/webhook-verifier.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { PaymentsSettings } from './payments.settings.js';
import { PaymentProvider } from './provider/payment-provider.js';
import { FindPaymentStep } from './receipt/find-payment.step.js';
import { FormatReceiptStep } from './receipt/format-receipt.step.js';
import { ReceiptController } from './receipt/receipt.controller.js';
import { receiptPipeline } from './receipt/receipt.pipeline.js';
import { paymentCaptured } from './signals/payment-captured.signal.js';
import { paymentFailed } from './signals/payment-failed.signal.js';
import { paymentRefunded } from './signals/payment-refunded.signal.js';
import { capturePayment } from './tasks/capture-payment.task.js';
import { createPayment } from './tasks/create-payment.task.js';
import { processEvent } from './tasks/process-event.task.js';
import { refundPayment } from './tasks/refund-payment.task.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export { PaymentsSettings } from './payments.settings.js';
export { paymentProvider } from './provider/payment-provider.downstream.js';
export { receiptPipeline, type Receipt, type ReceiptRequest, type ReceiptState } from './receipt/receipt.pipeline.js';
export { PaymentCaptured, paymentCaptured } from './signals/payment-captured.signal.js';
export { PaymentFailed, paymentFailed } from './signals/payment-failed.signal.js';
export { PaymentRefunded, paymentRefunded } from './signals/payment-refunded.signal.js';
export { CapturePaymentPayload } from './tasks/capture-payment.payload.js';
export { capturePayment } from './tasks/capture-payment.task.js';
export { createPayment, type CreatePaymentResult } from './tasks/create-payment.task.js';
export { OrderCancelledPayload } from './tasks/order-cancelled.payload.js';
export { OrderPlacedPayload } from './tasks/order-placed.payload.js';
export { processEvent } from './tasks/process-event.task.js';
export { ProviderEventPayload } from './tasks/provider-event.payload.js';
export { refundPayment, type RefundResult } from './tasks/refund-payment.task.js';
export { SIGNATURE_TOLERANCE_SECONDS } from './http/webhook-verifier.js';

/** The payments extension, loaded by the hosts from `COORDINATOR_EXTENSIONS`. */
export default defineExtension({
  name: 'payments',
  version,
  // Released in lockstep with core (one version for all packages).
  coreRange: `^${version}`,
  settings: PaymentsSettings,
  controllers: [WebhooksController, ReceiptController],
  // The provider client is in both hosts: the receipt pipeline asks it within a request.
  providers: [WebhookVerifier, PaymentProvider],
  tasks: [createPayment, capturePayment, processEvent, refundPayment],
  signals: [paymentCaptured, paymentFailed, paymentRefunded],
  handlers: [onSignal('order.placed', createPayment), onSignal('order.cancelled', refundPayment)],
  pipelines: [receiptPipeline],
  pipelineSteps: [
    definePipelineStep({ name: 'payments.find-payment', pipeline: receiptPipeline, step: FindPaymentStep }),
    definePipelineStep({ name: 'payments.format-receipt', pipeline: receiptPipeline, step: FormatReceiptStep }),
  ],
});
