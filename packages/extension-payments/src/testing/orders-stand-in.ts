/*
 * Test double of the other side of the payments extension's signals: it defines
 * `order.placed` and `order.cancelled` (which payments handles) and records
 * `payment.captured` and `payment.failed` (which payments emits), so payments can be
 * tested on its own. The real orders extension is tested with payments end to end in test/.
 */
import { defineExtension, defineSignal, defineTask, onSignal, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { Allow } from 'class-validator';

export class AnyPayload {
  @Allow()
  orderId!: string;

  @Allow()
  customerId?: string;

  @Allow()
  omsOrderId?: string;

  @Allow()
  amount?: number;

  @Allow()
  currency?: string;

  @Allow()
  paymentMethod?: string;

  @Allow()
  paymentIntentId?: string;

  @Allow()
  reason?: string;
}

export const seen: { signal: string; payload: AnyPayload }[] = [];

@Injectable()
class SawCaptured implements TaskHandler<AnyPayload> {
  async run(payload: AnyPayload) {
    seen.push({ signal: 'payment.captured', payload });
    return null;
  }
}

@Injectable()
class SawFailed implements TaskHandler<AnyPayload> {
  async run(payload: AnyPayload) {
    seen.push({ signal: 'payment.failed', payload });
    return null;
  }
}

export const orderPlaced = defineSignal({ name: 'order.placed', payload: AnyPayload });
export const orderCancelled = defineSignal({ name: 'order.cancelled', payload: AnyPayload });
const sawCaptured = defineTask({ name: 'partner.saw-captured', payload: AnyPayload, handler: SawCaptured });
const sawFailed = defineTask({ name: 'partner.saw-failed', payload: AnyPayload, handler: SawFailed });

export const ordersStandIn = defineExtension({
  name: 'partner',
  version: '0.0.0',
  tasks: [sawCaptured, sawFailed],
  signals: [orderPlaced, orderCancelled],
  handlers: [onSignal('payment.captured', sawCaptured), onSignal('payment.failed', sawFailed)],
});
