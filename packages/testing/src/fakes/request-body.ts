import type { IncomingMessage } from 'node:http';
import { FormBodyError, parseFormBody } from './form-body.js';
import { parseJsonBody, type JsonBodyResult } from './json-body.js';
import { readRawBody } from './raw-body.js';

/**
 * Which body formats a fake accepts besides JSON.
 *
 * @example
 * ```ts
 * const formats: BodyFormats = { form: true }; // Stripe-style form bodies
 * ```
 */
export interface BodyFormats {
  /** Parse `application/x-www-form-urlencoded` bodies with bracket notation. */
  form?: boolean;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Reads a request body and parses it by its `content-type`: form bodies (when
 * `formats.form` is on) into nested records, everything else as JSON, as before form
 * support existed, so JSON fakes and JSON control routes behave exactly as they did.
 * Failures are replies: 413 `payload_too_large`, 400 `invalid_json` or 400
 * `invalid_form` naming the `param`.
 *
 * @example
 * ```ts
 * const parsed = await readRequestBody(req, DEFAULT_BODY_LIMIT_BYTES, { form: true });
 * if (parsed.ok) parsed.body; // { amount: '500', metadata: { orderId: 'A-1' } }
 * ```
 */
export async function readRequestBody(
  req: IncomingMessage,
  limit: number,
  formats: BodyFormats = {},
): Promise<JsonBodyResult> {
  const read = await readRawBody(req, limit);
  if (!read.ok) return read;
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (!formats.form || type !== FORM_TYPE) return parseJsonBody(read.raw);
  if (read.raw.length === 0) return { ok: true, body: undefined };
  try {
    return { ok: true, body: parseFormBody(read.raw.toString('utf8')) };
  } catch (err) {
    if (!(err instanceof FormBodyError)) throw err;
    return {
      ok: false,
      reply: { status: 400, body: { error: 'invalid_form', param: err.param, message: err.message } },
    };
  }
}
