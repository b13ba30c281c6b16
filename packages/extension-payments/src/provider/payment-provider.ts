import type { TaskContext } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { PaymentsSettings } from '../payments.settings.js';
import { paymentProvider } from './payment-provider.downstream.js';
import { providerFailure } from './provider-errors.js';
import { createStripe } from './stripe-factory.js';
import { loadStripe } from './stripe-sdk.js';

/**
 * Who asks the provider: a task, whose context has `call`, or a pipeline step, which
 * has only its `signal`.
 *
 * @example
 * ```ts
 * const ctx: ProviderCallContext = taskContext; // or a PipelineContext
 * ```
 */
export type ProviderCallContext = Pick<TaskContext, 'signal'> & Partial<Pick<TaskContext, 'call'>>;

/**
 * The payment provider, through the official Stripe client. Every call that has an
 * effect carries a key derived from the order and the step (`payment-<order>-<step>`):
 * a retried task replays the stored answer instead of charging or refunding again.
 *
 * A task's calls go through the {@link paymentProvider} breaker and bulkhead. A pipeline
 * step's calls (the receipt) go direct: the pipeline answers an HTTP request, often in the
 * API host, which keeps no breakers; there is no job to put back for later, and the
 * pipeline's own short timeout already bounds the wait, so the caller gets its 502 or 504
 * at once instead of a deferral it could do nothing with.
 */
@Injectable()
export class PaymentProvider {
  private client: Promise<Stripe> | undefined;

  constructor(private readonly settings: PaymentsSettings) {}

  /** The client, created on the first call (see loadStripe). */
  private stripe(): Promise<Stripe> {
    this.client ??= createStripe(
      this.settings.PAYMENTS_PROVIDER_API_KEY,
      this.settings.PAYMENTS_PROVIDER_URL,
      this.settings.PAYMENTS_PROVIDER_TIMEOUT_MS,
    );
    return this.client;
  }

  /** Creates and confirms a payment intent to be captured separately. */
  createIntent(
    order: { orderId: string; amount: number; currency: string; paymentMethod: string },
    ctx: ProviderCallContext,
  ): Promise<Stripe.PaymentIntent> {
    return this.call('create the payment intent', ctx, async () =>
      (await this.stripe()).paymentIntents.create(
        {
          amount: order.amount,
          currency: order.currency.toLowerCase(),
          capture_method: 'manual',
          confirm: true,
          payment_method: order.paymentMethod,
          // Server-side confirmation: no redirect-based methods, so no return_url is needed.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          metadata: { orderId: order.orderId },
        },
        { idempotencyKey: `payment-${order.orderId}-intent` },
      ),
    );
  }

  capture(intentId: string, orderId: string, ctx: ProviderCallContext): Promise<Stripe.PaymentIntent> {
    return this.call('capture the payment', ctx, async () =>
      (await this.stripe()).paymentIntents.capture(intentId, {}, { idempotencyKey: `payment-${orderId}-capture` }),
    );
  }

  refund(intentId: string, orderId: string, ctx: ProviderCallContext): Promise<Stripe.Refund> {
    return this.call('refund the payment', ctx, async () =>
      (await this.stripe()).refunds.create(
        { payment_intent: intentId },
        { idempotencyKey: `payment-${orderId}-refund` },
      ),
    );
  }

  /** A payment intent with its latest charge expanded (for the refunded amount). */
  retrieveWithCharge(intentId: string, ctx: ProviderCallContext): Promise<Stripe.PaymentIntent> {
    return this.call('read the payment intent', ctx, async () =>
      (await this.stripe()).paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }),
    );
  }

  /**
   * The order's payment intent: read by id when the caller knows it, else found by the
   * order id stored in its metadata (the provider's search is eventually consistent).
   */
  async findIntent(
    orderId: string,
    ctx: ProviderCallContext,
    knownId?: string,
  ): Promise<Stripe.PaymentIntent | undefined> {
    if (knownId) {
      return this.call('read the payment intent', ctx, async () =>
        (await this.stripe()).paymentIntents.retrieve(knownId),
      );
    }
    const found = await this.call('find the payment intent', ctx, async () =>
      (await this.stripe()).paymentIntents.search({
        query: `metadata['orderId']:'${orderId.replace(/'/g, '')}'`,
        limit: 1,
      }),
    );
    return found.data[0];
  }

  private call<T>(operation: string, ctx: ProviderCallContext, request: () => Promise<T>): Promise<T> {
    if (ctx.call) return ctx.call(paymentProvider, (signal) => this.send(operation, signal, request));
    return this.send(operation, ctx.signal, request);
  }

  /**
   * Stripe's client takes no AbortSignal: race it, so a task timeout ends the wait. Its
   * own `timeout` (`PAYMENTS_PROVIDER_TIMEOUT_MS`) bounds each request.
   */
  private async send<T>(operation: string, signal: AbortSignal, request: () => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([request(), aborted]);
    } catch (error) {
      if (signal.aborted) throw error;
      // Loaded already: the request that failed went through it.
      throw providerFailure(operation, error, await loadStripe());
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }
}
