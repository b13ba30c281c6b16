import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeReply } from './route-table.js';

/**
 * Request headers as plain strings, so handlers and the ledger never meet Node's
 * `string | string[] | undefined`: lowercased names, repeated headers joined with `, `.
 *
 * @example
 * ```ts
 * flattenHeaders(req)['idempotency-key']; // 'k-1'
 * ```
 */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Writes a reply with its body as JSON and an exact `content-length`; the reply's own
 * headers win. Does nothing once the socket is gone, e.g. after an injected reset.
 *
 * @example
 * ```ts
 * sendReply(res, { status: 404, body: { error: 'not_found' } });
 * ```
 */
export function sendReply(res: ServerResponse, reply: FakeReply): void {
  if (res.destroyed) return;
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}
