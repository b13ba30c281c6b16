import { PermanentError, RetryableError, type TaskContext } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { OrdersSettings } from '../orders.settings.js';
import { orderManagement } from './order-management.downstream.js';

/**
 * An order as the order-management service returns it.
 *
 * @example
 * ```ts
 * const created: OmsOrder = await oms.createOrder(payload, ctx);
 * ```
 */
export interface OmsOrder {
  id: string;
  orderId: string;
  status: string;
}

type Step = 'submit' | 'fulfil' | 'cancel' | 'attention';

/**
 * Client of the order-management service. Every call carries an idempotency key
 * derived from the order and the step (`order-<id>-<step>`), so a retried task never
 * has a second effect, and maps answers to what the task should do next: 5xx,
 * timeouts and broken connections retry; other 4xx fail the task permanently, except
 * a 404 on an existing order's step, which retries because the order may still be on
 * its way to the service. Every call goes through the {@link orderManagement} breaker and
 * bulkhead (`ctx.call`) and stops at `ORDERS_OMS_TIMEOUT_MS` or when the task is aborted.
 */
@Injectable()
export class OmsClient {
  constructor(private readonly settings: OrdersSettings) {}

  createOrder(
    order: { orderId: string; customerId: string; currency: string; lines: unknown[] },
    ctx: Pick<TaskContext, 'call'>,
  ): Promise<OmsOrder> {
    const { orderId, customerId, currency, lines } = order;
    return this.call('POST', '/orders', { orderId, customerId, currency, lines }, orderId, 'submit', ctx);
  }

  fulfil(orderId: string, ctx: Pick<TaskContext, 'call'>): Promise<OmsOrder> {
    return this.call('POST', `/orders/${orderId}/fulfil`, {}, orderId, 'fulfil', ctx);
  }

  cancel(orderId: string, reason: string | undefined, ctx: Pick<TaskContext, 'call'>): Promise<OmsOrder> {
    return this.call('POST', `/orders/${orderId}/cancel`, { reason }, orderId, 'cancel', ctx);
  }

  flagForAttention(orderId: string, reason: string, ctx: Pick<TaskContext, 'call'>): Promise<OmsOrder> {
    return this.call('POST', `/orders/${orderId}/attention`, { reason }, orderId, 'attention', ctx);
  }

  private async call<T>(
    method: string,
    path: string,
    body: unknown,
    orderId: string,
    step: Step,
    ctx: Pick<TaskContext, 'call'>,
  ): Promise<T> {
    const url = new URL(path, this.settings.ORDERS_OMS_URL);
    // The answer is read inside the call, so the breaker sees a 5xx as the failure it is.
    return ctx.call(orderManagement, async (signal) => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'idempotency-key': `order-${orderId}-${step}` },
          body: JSON.stringify(body),
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.ORDERS_OMS_TIMEOUT_MS)]),
        });
      } catch (error) {
        throw new RetryableError(`order management unreachable: ${(error as Error).message}`, { cause: error });
      }
      const text = await response.text();
      const retryable =
        response.status >= 500 ||
        response.status === 429 ||
        response.status === 408 ||
        (response.status === 404 && step !== 'submit');
      if (retryable) throw new RetryableError(`order management answered ${response.status} to ${method} ${path}`);
      if (!response.ok) {
        throw new PermanentError(
          `order management rejected ${method} ${path} with ${response.status}: ${text.slice(0, 200)}`,
        );
      }
      return JSON.parse(text) as T;
    });
  }
}
