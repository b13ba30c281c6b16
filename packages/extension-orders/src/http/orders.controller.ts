import { TaskDispatcher } from '@coordinator/core';
import { BadRequestException, Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { submitOrder } from '../tasks/submit-order.task.js';
import { CreateOrderBody } from './create-order.body.js';
import { orderIdFor } from './order-id.js';

/**
 * Answer of `POST /orders`.
 *
 * @example
 * ```json
 * { "orderId": "…", "taskId": "orders.submit.…", "statusUrl": "/tasks/orders.submit.…" }
 * ```
 */
export interface OrderAccepted {
  orderId: string;
  taskId: string;
  statusUrl: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/** Accepts orders and hands them to `orders.submit`; never calls order management itself. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  @Post()
  @HttpCode(202)
  async create(
    @Body() body: CreateOrderBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<OrderAccepted> {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException(['Idempotency-Key header is required: 8 to 128 printable ASCII characters']);
    }
    const orderId = orderIdFor(idempotencyKey);
    const receipt = await this.dispatcher.dispatch(submitOrder, { ...body, orderId }, { idempotencyKey });
    return { orderId, ...receipt };
  }
}
