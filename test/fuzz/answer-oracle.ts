/*
 * What every answer must satisfy, and what a case's description lets the fuzzer demand
 * beyond that: the right status for bad credentials, 400 naming the field it broke.
 */
import { isPlainJson } from './request-parts.js';
import type { FuzzAnswer, FuzzCase, FuzzRequest } from './route-fuzz.js';

/** The `message` of a 4xx answer as a list, or the reason the answer has none. */
export function errorMessages(answer: { contentType: string | null; text: string }): string[] | string {
  if (!answer.contentType?.includes('application/json'))
    return `the answer is not JSON (content type ${answer.contentType ?? 'none'})`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'the answer does not parse as JSON';
  }
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && message.trim() !== '') return [message];
  if (Array.isArray(message) && message.length > 0 && message.every((m) => typeof m === 'string' && m.trim() !== '')) {
    return message as string[];
  }
  return `the answer has no message naming the problem (message: ${JSON.stringify(message)})`;
}

/** What the oracle learnt from one exchange, for the run's coverage counts. */
export interface Verdict {
  problems: string[];
  /** A DTO route refused a broken body and named the field: validation was reached. */
  validationReached: boolean;
  /** A protected route refused a bad credential with 401 and a message. */
  refusedCredential: boolean;
}

/** Stray headers that change what the host does before the route runs (431, 415). */
const DISRUPTIVE_HEADERS = new Set(['x-huge', 'content-encoding']);

/** Checks one answer against the case that produced it. */
export function judge(c: FuzzCase, request: FuzzRequest, answer: FuzzAnswer): Verdict {
  const verdict: Verdict = { problems: [], validationReached: false, refusedCredential: false };
  const problem = (text: string) => verdict.problems.push(text);
  if ('error' in answer) {
    problem(`no answer: ${answer.error}`);
    return verdict;
  }
  const { status } = answer;
  if (status >= 500) problem(`answered ${status}: a client's request must never cause a server error`);

  let messages: string[] = [];
  if (status >= 400 && status < 500) {
    const read = errorMessages(answer);
    if (typeof read === 'string') problem(`${status}: ${read}`);
    else messages = read;
  }
  const says = (names: readonly string[]) => names.some((name) => messages.some((m) => m.includes(name)));

  // A rate limit may answer first (429); nothing else is then known about the request.
  const disrupted = c.stray.some(([name]) => DISRUPTIVE_HEADERS.has(name)) || status === 429;
  if (request.routable && !disrupted) {
    if (c.route.protected && request.authorised === 'no') {
      if (status !== 401)
        problem(`a bad credential (${c.credential.kind}) on a protected route answered ${status}, not 401`);
      else if (!answer.wwwAuthenticate) problem('401 without a WWW-Authenticate challenge');
      else verdict.refusedCredential = messages.length > 0;
    }
    if (!c.route.protected && status === 401) problem('a public route answered 401');
  }
  if (request.authorised === 'yes' && (status === 401 || status === 403)) {
    problem(`the test caller (every scope) was refused with ${status}`);
  }

  // Beyond sanity only where the host must read the body as JSON and run the route's DTO.
  const body = c.body;
  const readsBody =
    request.routable &&
    !disrupted &&
    request.idsValid &&
    request.authorised === 'yes' &&
    c.route.body?.dto === true &&
    body !== undefined &&
    request.body !== undefined &&
    isPlainJson(c.contentType);
  if (!readsBody) return verdict;
  const keyIssue = c.route.headers.includes('idempotency-key') && !c.idempotencyKey.valid;
  switch (body.expect.kind) {
    case 'invalid':
      if (status !== 400 && status !== 413) problem(`a broken body (${body.label}) answered ${status}, not 400`);
      else if (status === 400 && body.expect.names.length > 0 && !says(body.expect.names)) {
        problem(
          `the 400 for "${body.label}" does not name ${body.expect.names.map((n) => JSON.stringify(n)).join(' or ')}`,
        );
      } else verdict.validationReached = status === 400 && body.expect.names.length > 0;
      break;
    case 'too-large':
      if (status !== 413) problem(`a body over every limit (${body.bytes.length} bytes) answered ${status}, not 413`);
      break;
    case 'valid':
      if (keyIssue) {
        if (status !== 400 || !says(['Idempotency-Key'])) {
          problem(
            `a valid body with a ${(c.idempotencyKey as { label: string }).label} Idempotency-Key answered ${status} without naming the header`,
          );
        }
      } else if (status === 400 || status === 413) {
        problem(
          `a body the published schema accepts was refused with ${status}: the DTO and its OpenAPI schema disagree`,
        );
      }
      break;
    case 'any':
      break;
  }
  return verdict;
}
