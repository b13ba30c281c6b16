import { CurrentPrincipal, RequireScopes, TaskDispatcher, TaskStatusReader, type Principal } from '@coordinator/core';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { cancelOrder } from '../tasks/cancel-order.task.js';
import { submitOrder } from '../tasks/submit-order.task.js';
import { CancelOrderBody } from './cancel-order.body.js';
import { CreateOrderBody } from './create-order.body.js';
import { orderIdFor } from './order-id.js';
import { orderCorrelation, orderView, type OrderView } from './order-view.js';

/**
 * Answer of `POST /orders` and `POST /orders/:id/cancel`.
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

/** Accepts orders and hands them to tasks; never calls order management itself. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly dispatcher: TaskDispatcher,
    private readonly statuses: TaskStatusReader,
  ) {}

  /**
   * The same `Idempotency-Key` names the same order: repeating the request returns the
   * first answer, and the same key with another body is refused with 422.
   */
  @Post()
  @RequireScopes('orders:write')
  @HttpCode(202)
  async create(
    @Body() body: CreateOrderBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrderAccepted> {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException(['Idempotency-Key header is required: 8 to 128 printable ASCII characters']);
    }
    // Keys are per caller: the same key from two callers names two orders.
    const orderId = orderIdFor(principal.id, idempotencyKey);
    const receipt = await this.dispatcher.dispatch(
      submitOrder,
      { ...body, orderId },
      { idempotencyKey, correlationId: orderCorrelation(orderId) },
    );
    return { orderId, ...receipt };
  }

  @Get(':id')
  @RequireScopes('orders:read')
  async get(@Param('id', new ParseUUIDPipe({ version: '4' })) orderId: string): Promise<OrderView> {
    const statuses = await this.statuses.listByCorrelation(orderCorrelation(orderId));
    if (statuses.length === 0) throw new NotFoundException(`no order with id ${orderId}`);
    return orderView(orderId, statuses);
  }

  /** Cancelling twice is one cancellation: the second request gets the first one's task. */
  @Post(':id/cancel')
  @RequireScopes('orders:write')
  @HttpCode(202)
  async cancel(
    @Param('id', new ParseUUIDPipe({ version: '4' })) orderId: string,
    @Body() body: CancelOrderBody,
  ): Promise<OrderAccepted> {
    const statuses = await this.statuses.listByCorrelation(orderCorrelation(orderId));
    if (statuses.length === 0) throw new NotFoundException(`no order with id ${orderId}`);
    const earlier = statuses.find((s) => s.task === cancelOrder.name);
    if (earlier) return { orderId, taskId: earlier.taskId, statusUrl: `/tasks/${earlier.taskId}` };
    const receipt = await this.dispatcher.dispatch(
      cancelOrder,
      { orderId, ...(body.reason ? { reason: body.reason } : {}) },
      { idempotencyKey: `cancel-${orderId}`, correlationId: orderCorrelation(orderId) },
    );
    return { orderId, ...receipt };
  }
}
