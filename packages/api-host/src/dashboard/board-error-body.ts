import { STATUS_CODES } from 'node:http';

/** bull-board's error body: a translation key as headline, an optional detail. */
interface BoardErrorBody {
  error?: { key?: unknown; options?: unknown } | string;
  message?: unknown;
  [field: string]: unknown;
}

/**
 * bull-board answers a failed call with `{ error: { key: 'ERRORS.QUEUE_NOT_FOUND' } }`,
 * which its UI translates; every other answer of the API host names the problem in
 * `message`. This adds `statusCode` and a readable `message` (the key in words) and keeps
 * bull-board's fields, so its UI reads the answer as before.
 *
 * @example
 * ```ts
 * boardErrorBody(404, { error: { key: 'ERRORS.QUEUE_NOT_FOUND' } });
 * // { error: { key: 'ERRORS.QUEUE_NOT_FOUND' }, statusCode: 404, message: 'queue not found' }
 * ```
 */
export function boardErrorBody(status: number, body: unknown): unknown {
  if (status < 400) return body;
  const board: BoardErrorBody = typeof body === 'object' && body !== null ? (body as BoardErrorBody) : {};
  if (typeof board.message === 'string' && board.message.trim() !== '') return { ...board, statusCode: status };
  const key = typeof board.error === 'string' ? board.error : board.error?.key;
  const words =
    typeof key === 'string'
      ? key
          .replace(/^ERRORS\./, '')
          .replace(/_/g, ' ')
          .toLowerCase()
      : undefined;
  const options =
    typeof board.error === 'object' && board.error?.options
      ? ` ${JSON.stringify(board.error.options).slice(0, 200)}`
      : '';
  return {
    ...board,
    statusCode: status,
    message: words ? `${words}${options}` : (STATUS_CODES[status] ?? 'request refused'),
  };
}
