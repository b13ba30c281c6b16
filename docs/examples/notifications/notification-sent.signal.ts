import { defineSignal } from '@coordinator/core';
import { IsString } from 'class-validator';

export class NotificationSent {
  @IsString()
  messageId!: string;
}

// Optional: the hosts start even when no loaded extension handles it.
export const notificationSent = defineSignal({ name: 'notification.sent', payload: NotificationSent, optional: true });
