import type { IncomingMessage } from 'node:http';
import type { FakeReply } from './route-table.js';

/**
 * A request body read whole: its bytes, or the reply that refuses it.
 *
 * @example
 * ```ts
 * const read: RawBodyResult = await readRawBody(req, 1024);
 * if (!read.ok) return read.reply; // 413
 * ```
 */
export type RawBodyResult = { ok: true; raw: Buffer } | { ok: false; reply: FakeReply };

/**
 * Reads a whole request body: 413 `payload_too_large` past `limit` bytes. Shared by the
 * JSON and form parsers so both refuse big bodies alike.
 *
 * @example
 * ```ts
 * const read = await readRawBody(req, DEFAULT_BODY_LIMIT_BYTES);
 * const text = read.ok ? read.raw.toString('utf8') : '';
 * ```
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<RawBodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Keep draining past the limit so the keep-alive connection stays usable for the 413.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit)
    return { ok: false, reply: { status: 413, body: { error: 'payload_too_large', limitBytes: limit } } };
  return { ok: true, raw: Buffer.concat(chunks) };
}
