import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { paymentCaptured } from '../signals/payment-captured.signal.js';
import { paymentFailed } from '../signals/payment-failed.signal.js';
import { paymentRefunded } from '../signals/payment-refunded.signal.js';
import { ProviderEventPayload } from './provider-event.payload.js';

/** Turns a verified provider event into the signal the other extensions listen to. */
@Injectable()
export class ProcessEventHandler implements TaskHandler<ProviderEventPayload, { signal: string }> {
  async run(event: ProviderEventPayload, ctx: TaskContext): Promise<{ signal: string }> {
    const { orderId, paymentIntentId } = event;
    switch (event.type) {
      case 'payment_intent.succeeded':
        await ctx.emit(paymentCaptured, { orderId, paymentIntentId, amount: event.amount, currency: event.currency });
        return { signal: paymentCaptured.name };
      case 'payment_intent.payment_failed':
        await ctx.emit(paymentFailed, { orderId, paymentIntentId, reason: event.failureReason ?? 'payment failed' });
        return { signal: paymentFailed.name };
      case 'charge.refunded':
        await ctx.emit(paymentRefunded, { orderId, paymentIntentId, amountRefunded: event.amountRefunded ?? 0 });
        return { signal: paymentRefunded.name };
    }
  }
}

/**
 * Dispatched by the provider webhook with the event id as idempotency key. Completed
 * jobs are kept five days, beyond the provider's retry window (Stripe retries for
 * three), so a redelivered event is recognised and runs once.
 */
export const processEvent = defineTask({
  name: 'payments.process-event',
  payload: ProviderEventPayload,
  handler: ProcessEventHandler,
  retry: { attempts: 10, backoff: 'exponential', delayMs: 500, jitter: true },
  timeoutMs: 10_000,
  retention: { completedSeconds: 5 * 24 * 3600 },
});
