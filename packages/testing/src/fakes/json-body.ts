import type { IncomingMessage } from 'node:http';
import { readRawBody } from './raw-body.js';
import type { FakeReply } from './route-table.js';

/**
 * Bodies bigger than this are refused; fakes only ever see small JSON documents.
 *
 * @example
 * ```ts
 * await readJsonBody(req, DEFAULT_BODY_LIMIT_BYTES);
 * ```
 */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A request body read as JSON: its value (undefined for an empty body), or the reply
 * that refuses it.
 *
 * @example
 * ```ts
 * const parsed: JsonBodyResult = await readJsonBody(req, 1024);
 * if (!parsed.ok) return parsed.reply; // 413 or 400
 * ```
 */
export type JsonBodyResult = { ok: true; body: unknown } | { ok: false; reply: FakeReply };

/**
 * Reads a whole request body and parses it as JSON: 413 `payload_too_large` past
 * `limit` bytes, 400 `invalid_json` when it does not parse.
 *
 * @example
 * ```ts
 * const parsed = await readJsonBody(req, DEFAULT_BODY_LIMIT_BYTES);
 * const body = parsed.ok ? parsed.body : undefined;
 * ```
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBodyResult> {
  const read = await readRawBody(req, limit);
  return read.ok ? parseJsonBody(read.raw) : read;
}

/**
 * Parses bytes already read as JSON: undefined for an empty body, 400 `invalid_json`
 * when they do not parse.
 *
 * @example
 * ```ts
 * parseJsonBody(Buffer.from('{"a":1}')); // { ok: true, body: { a: 1 } }
 * ```
 */
export function parseJsonBody(raw: Buffer): JsonBodyResult {
  if (raw.length === 0) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { ok: false, reply: { status: 400, body: { error: 'invalid_json' } } };
  }
}
