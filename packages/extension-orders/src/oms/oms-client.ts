import { PermanentError, RetryableError, type TaskContext } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { OrdersSettings } from '../orders.settings.js';

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

/**
 * Client of the order-management service. Every call carries an idempotency key
 * derived from the order and the step, so a retried task never creates a second
 * order, and maps answers to what the task should do next: 5xx, timeouts and broken
 * connections retry; other 4xx fail the task permanently.
 */
@Injectable()
export class OmsClient {
  constructor(private readonly settings: OrdersSettings) {}

  createOrder(
    order: { orderId: string; customerId: string; currency: string; lines: unknown[] },
    ctx: Pick<TaskContext, 'signal'>,
  ): Promise<OmsOrder> {
    return this.call('POST', '/orders', order, `order-${order.orderId}-submit`, ctx.signal);
  }

  private async call<T>(
    method: string,
    path: string,
    body: unknown,
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<T> {
    const url = new URL(path, this.settings.ORDERS_OMS_URL);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.ORDERS_OMS_TIMEOUT_MS)]),
      });
    } catch (error) {
      throw new RetryableError(`order management unreachable: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new RetryableError(`order management answered ${response.status} to ${method} ${path}`);
    }
    if (!response.ok) {
      throw new PermanentError(
        `order management rejected ${method} ${path} with ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    return JSON.parse(text) as T;
  }
}
