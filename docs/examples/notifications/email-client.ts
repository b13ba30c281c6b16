import { PermanentError, RetryableError, type TaskContext } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { emailProvider } from './email-provider.downstream.js';
import { NotificationsSettings } from './notifications.settings.js';

// A downstream client: it calls through the provider's breaker and bulkhead, passes the
// task's idempotency key and AbortSignal on, and turns answers into what should happen next.
@Injectable()
export class EmailClient {
  constructor(private readonly settings: NotificationsSettings) {}

  send(message: { to: string; subject: string }, ctx: TaskContext): Promise<{ id: string }> {
    return ctx.call(emailProvider, async (signal) => {
      let response: Response;
      try {
        response = await fetch(new URL('/messages', this.settings.NOTIFICATIONS_EMAIL_URL), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
          body: JSON.stringify(message),
          // The task's signal (its timeout, the worker's shutdown) and a per-request timeout.
          signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
        });
      } catch (error) {
        throw new RetryableError(`email provider unreachable: ${(error as Error).message}`, { cause: error });
      }
      if (response.status >= 500 || response.status === 429) {
        throw new RetryableError(`email provider answered ${response.status}`);
      }
      if (!response.ok) throw new PermanentError(`email provider refused the message: ${response.status}`);
      return (await response.json()) as { id: string };
    });
  }
}
