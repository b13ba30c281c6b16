import { PermanentError, RetryableError, type TaskContext } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { NotificationsSettings } from './notifications.settings.js';

// A downstream client: it passes the task's idempotency key and AbortSignal on, and
// turns answers into what should happen next.
@Injectable()
export class EmailClient {
  constructor(private readonly settings: NotificationsSettings) {}

  async send(message: { to: string; subject: string }, ctx: TaskContext): Promise<{ id: string }> {
    let response: Response;
    try {
      response = await fetch(new URL('/messages', this.settings.NOTIFICATIONS_EMAIL_URL), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
        body: JSON.stringify(message),
        signal: ctx.signal,
      });
    } catch (error) {
      throw new RetryableError(`email provider unreachable: ${(error as Error).message}`, { cause: error });
    }
    if (response.status >= 500 || response.status === 429) {
      throw new RetryableError(`email provider answered ${response.status}`);
    }
    if (!response.ok) throw new PermanentError(`email provider refused the message: ${response.status}`);
    return (await response.json()) as { id: string };
  }
}
