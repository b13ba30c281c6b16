import type { FakeReply } from './route-table.js';
import type { WebhookSender } from './webhook-sender.js';

/**
 * The answer to `GET /__webhooks`: the endpoint, how many deliveries are pending, and
 * every attempt so far, so a test in another process can see what was delivered.
 *
 * @example
 * ```ts
 * webhookStatusReply(sender); // { status: 200, body: { url: 'http://…', pending: 0, deliveries: [...] } }
 * ```
 */
export function webhookStatusReply(sender: WebhookSender): FakeReply {
  return {
    status: 200,
    body: { url: sender.url ?? null, pending: sender.pending, deliveries: sender.deliveries() },
  };
}

/**
 * Applies the body of `POST /__webhooks`, `{ "url": string | null }`: the demo starts
 * the fakes before the API, so the endpoint is often only known later.
 *
 * @returns 200 `{ url }`, or 400 `invalid_webhook_url` with the endpoint unchanged.
 * @example
 * ```ts
 * applyWebhookUrl(sender, { url: 'http://127.0.0.1:3000/payments/webhooks/stripe' });
 * ```
 */
export function applyWebhookUrl(sender: WebhookSender, body: unknown): FakeReply {
  const url = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['url'] : undefined;
  if (url !== null && typeof url !== 'string') {
    return { status: 400, body: { error: 'invalid_webhook_url', message: 'body must be { "url": string | null }' } };
  }
  try {
    sender.setUrl(url ?? undefined);
  } catch (err) {
    return {
      status: 400,
      body: { error: 'invalid_webhook_url', message: err instanceof Error ? err.message : String(err) },
    };
  }
  return { status: 200, body: { url: sender.url ?? null } };
}
