import { BodyLimit, PublicRoute, TaskDispatcher } from '@coordinator/core';
import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { processEvent } from '../tasks/process-event.task.js';
import { providerEventPayload } from './provider-event.mapper.js';
import { WebhookVerifier } from './webhook-verifier.js';

/**
 * `POST /payments/webhooks/stripe`: verifies the signature on the raw body, answers at
 * once and leaves the work to `payments.process-event`. The event id is the task's
 * idempotency key, so an event delivered ten times, even concurrently, runs once.
 */
@Controller('payments/webhooks')
export class WebhooksController {
  constructor(
    private readonly verifier: WebhookVerifier,
    private readonly dispatcher: TaskDispatcher,
  ) {}

  @Post('stripe')
  @PublicRoute('the provider signs each delivery: the Stripe-Signature header is verified instead')
  // Provider events are larger than API requests; still bounded, and answered 413 unread when larger.
  @BodyLimit(256 * 1024)
  @HttpCode(200)
  async stripe(
    // The API host keeps raw bodies (`rawBody: true`): the signature covers the exact bytes.
    @Req() request: { rawBody?: Buffer },
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; taskId?: string }> {
    const event = await this.verifier.verify(request.rawBody, signature);
    const payload = providerEventPayload(event);
    if (!payload) return { received: true };
    const receipt = await this.dispatcher.dispatch(processEvent, payload, {
      idempotencyKey: event.id,
      correlationId: `order-${payload.orderId}`,
    });
    return { received: true, taskId: receipt.taskId };
  }
}
