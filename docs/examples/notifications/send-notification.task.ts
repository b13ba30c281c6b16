import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { EmailClient } from './email-client.js';
import { emailProvider } from './email-provider.downstream.js';
import { notificationSent } from './notification-sent.signal.js';
import { SendNotificationPayload } from './send-notification.payload.js';

@Injectable()
export class SendNotificationHandler implements TaskHandler<SendNotificationPayload, { messageId: string }> {
  constructor(private readonly email: EmailClient) {}

  async run(payload: SendNotificationPayload, ctx: TaskContext): Promise<{ messageId: string }> {
    const { id } = await this.email.send(payload, ctx);
    await ctx.emit(notificationSent, { messageId: id });
    return { messageId: id };
  }
}

export const sendNotification = defineTask({
  name: 'notifications.send',
  payload: SendNotificationPayload,
  handler: SendNotificationHandler,
  retry: { attempts: 6, backoff: 'exponential', delayMs: 500, jitter: true, maxDelayMs: 30_000 },
  timeoutMs: 10_000,
  downstreams: [emailProvider],
});
