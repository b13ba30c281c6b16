/*
 * Test double of the other side of the orders extension's signals: it defines
 * `payment.captured` and `payment.failed` (which orders handles) and records
 * `order.placed` and `order.cancelled` (which orders emits), so orders can be tested
 * on its own. The real payments extension is tested with orders end to end in test/.
 */
import { defineExtension, defineSignal, defineTask, onSignal, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { Allow } from 'class-validator';

export class AnyPayload {
  [key: string]: unknown;

  @Allow()
  orderId!: string;

  @Allow()
  paymentIntentId?: string;

  @Allow()
  amount?: number;

  @Allow()
  currency?: string;

  @Allow()
  reason?: string;

  @Allow()
  customerId?: string;

  @Allow()
  omsOrderId?: string;

  @Allow()
  paymentMethod?: string;
}

export const seen: { signal: string; payload: AnyPayload }[] = [];

@Injectable()
class SawPlaced implements TaskHandler<AnyPayload> {
  async run(payload: AnyPayload) {
    seen.push({ signal: 'order.placed', payload });
    return null;
  }
}

@Injectable()
class SawCancelled implements TaskHandler<AnyPayload> {
  async run(payload: AnyPayload) {
    seen.push({ signal: 'order.cancelled', payload });
    return null;
  }
}

export const paymentCaptured = defineSignal({ name: 'payment.captured', payload: AnyPayload });
export const paymentFailed = defineSignal({ name: 'payment.failed', payload: AnyPayload });
const sawPlaced = defineTask({ name: 'partner.saw-placed', payload: AnyPayload, handler: SawPlaced });
const sawCancelled = defineTask({ name: 'partner.saw-cancelled', payload: AnyPayload, handler: SawCancelled });

export const paymentsStandIn = defineExtension({
  name: 'partner',
  version: '0.0.0',
  tasks: [sawPlaced, sawCancelled],
  signals: [paymentCaptured, paymentFailed],
  handlers: [onSignal('order.placed', sawPlaced), onSignal('order.cancelled', sawCancelled)],
});
