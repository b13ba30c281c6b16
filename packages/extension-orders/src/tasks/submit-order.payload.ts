import { IsUUID } from 'class-validator';
import { CreateOrderBody } from '../http/create-order.body.js';

/**
 * Payload of `orders.submit`: the accepted order with the id the coordinator gave it.
 *
 * @example
 * ```ts
 * await dispatcher.dispatch(submitOrder, { orderId, customerId, currency, lines });
 * ```
 */
export class SubmitOrderPayload extends CreateOrderBody {
  @IsUUID()
  orderId!: string;
}
