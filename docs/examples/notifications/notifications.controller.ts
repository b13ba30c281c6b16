import { RequireScopes, TaskDispatcher, type TaskReceipt } from '@coordinator/core';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SendNotificationPayload } from './send-notification.payload.js';
import { sendNotification } from './send-notification.task.js';

// The endpoint validates and dispatches; it never calls the email provider itself.
// Callers need a key or token granting `notifications:write` (401/403 otherwise).
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  @Post()
  @RequireScopes('notifications:write')
  @HttpCode(202)
  send(@Body() body: SendNotificationPayload): Promise<TaskReceipt> {
    return this.dispatcher.dispatch(sendNotification, body);
  }
}
