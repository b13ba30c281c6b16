/*
 * Requests fetch refuses to send: a broken request line, header lines without a colon
 * or with control characters, conflicting Content-Length and Transfer-Encoding, broken
 * chunks, a body shorter than announced. Written to a TCP socket byte by byte; the
 * answer is read back from it. Node's HTTP parser refuses most of them before any code
 * of the coordinator runs; what matters is that the answer is still a 4xx with a message.
 */
import fc from 'fast-check';
import { connect } from 'node:net';

/** A raw request and whether it is complete (so an answer is due). */
export interface RawCase {
  label: string;
  text: string;
  complete: boolean;
}

/** What came back on the socket. */
export interface RawAnswer {
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** Nothing (or not a whole answer) arrived before the timeout. */
  timedOut: boolean;
}

const CRLF = '\r\n';

/** A valid request, then one thing about its framing broken. */
export function rawCase(apiKey: string): fc.Arbitrary<RawCase> {
  const body = '{"customerId":"c-1","currency":"EUR","lines":[{"sku":"MUG","quantity":1,"unitPrice":900}]}';
  const headers = (extra: string[] = [], length = body.length) => [
    'Host: 127.0.0.1',
    `Authorization: Bearer ${apiKey}`,
    'Content-Type: application/json',
    'Idempotency-Key: raw-http-fuzz-0001',
    `Content-Length: ${length}`,
    ...extra,
  ];
  const request = (line: string, lines: string[], payload = body, complete = true, label = line) => ({
    label,
    text: `${line}${CRLF}${lines.join(CRLF)}${CRLF}${CRLF}${payload}`,
    complete,
  });
  const junk = fc.string({
    unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 40,
  });
  const requestLine = fc
    .constantFrom(
      'POST /orders HTTP/1.1',
      'post /orders HTTP/1.1',
      'POST  /orders  HTTP/1.1',
      'POST /orders HTTP/9.9',
      'POST /orders HTTP/1.1 extra',
      'POST /orders',
      'POST http://evil.test/orders HTTP/1.1',
      'POST * HTTP/1.1',
      'POST /orders/../../etc/passwd HTTP/1.1',
      'POST /ord ers HTTP/1.1',
      'BREW /orders HTTP/1.1',
      'POST /orders?%zz HTTP/1.1',
      'POST /orders#frag HTTP/1.1',
      'POST /\u00ff\u00fe HTTP/1.1',
      ' POST /orders HTTP/1.1',
    )
    .map((line) => request(line, headers()));
  const junkPath = junk.map((line) =>
    request(`POST /orders${line} HTTP/1.1`, headers(), body, true, 'junk in the path'),
  );
  const headerLines = fc
    .constantFrom<[string, string[]]>(
      ['no Host', headers().slice(1)],
      ['two different Content-Lengths', headers([`Content-Length: ${body.length + 1}`])],
      ['Content-Length and Transfer-Encoding', headers(['Transfer-Encoding: chunked'])],
      ['Content-Length not a number', [...headers().slice(0, 4), 'Content-Length: abc']],
      ['negative Content-Length', [...headers().slice(0, 4), 'Content-Length: -1']],
      ['header without a colon', headers(['X-Broken header'])],
      ['space before the colon', headers(['X-Broken : value'])],
      ['NUL in a header value', headers(['X-Broken: a\u0000b'])],
      ['CR in a header value', headers(['X-Broken: a\rb'])],
      ['folded header line', headers(['X-Folded: a', ' continued'])],
      ['invalid header name', headers(['X(Broken): value'])],
      ['empty header name', headers([': value'])],
      ['two Authorization headers', headers(['Authorization: Bearer other'])],
      ['two Idempotency-Keys', headers(['Idempotency-Key: raw-http-fuzz-0002'])],
      ['two Content-Types', headers(['Content-Type: text/plain'])],
      ['Transfer-Encoding: identity', headers(['Transfer-Encoding: identity'])],
      ['Expect: 100-continue', headers(['Expect: 100-continue'])],
      ['Expect: something else', headers(['Expect: tea'])],
      ['Upgrade: websocket', headers(['Connection: Upgrade', 'Upgrade: websocket'])],
      ['500 headers', headers(Array.from({ length: 500 }, (_, i) => `X-Many-${i}: ${i}`))],
    )
    .map(([label, lines]) => request('POST /orders HTTP/1.1', lines, body, true, label));
  const chunked = fc
    .constantFrom<[string, string, boolean]>(
      ['chunk size not hex', `zz${CRLF}${body}${CRLF}0${CRLF}${CRLF}`, true],
      ['chunk shorter than its size', `ffff${CRLF}${body}${CRLF}0${CRLF}${CRLF}`, false],
      ['chunk with an extension', `${body.length.toString(16)};ext=1${CRLF}${body}${CRLF}0${CRLF}${CRLF}`, true],
      ['chunk size overflowing', `ffffffffffffffffffff${CRLF}${body}${CRLF}0${CRLF}${CRLF}`, true],
      ['chunks without the last one', `${body.length.toString(16)}${CRLF}${body}${CRLF}`, false],
      [
        'trailer after the last chunk',
        `${body.length.toString(16)}${CRLF}${body}${CRLF}0${CRLF}X-Trailer: 1${CRLF}${CRLF}`,
        true,
      ],
    )
    .map(([label, chunks, complete]) =>
      request(
        'POST /orders HTTP/1.1',
        [...headers().slice(0, 4), 'Transfer-Encoding: chunked'],
        chunks,
        complete,
        label,
      ),
    );
  const cutBody = fc
    .integer({ min: 1, max: body.length - 1 })
    .map((cut) => request('POST /orders HTTP/1.1', headers(), body.slice(0, cut), false, `body cut at ${cut}`));
  const pipelined = fc
    .constantFrom('GARBAGE', `GET /health/live HTTP/1.1${CRLF}${CRLF}`, '\u0000\u0001\u0002', `${CRLF}${CRLF}`)
    .map((tail) =>
      request(
        'POST /orders HTTP/1.1',
        headers(),
        `${body}${tail}`,
        true,
        `pipelined ${JSON.stringify(tail.slice(0, 12))}`,
      ),
    );
  // Incomplete requests (a cut body, a missing last chunk) are rarer: each waits for its timeout.
  return fc.oneof(
    { weight: 4, arbitrary: requestLine },
    { weight: 3, arbitrary: junkPath },
    { weight: 6, arbitrary: headerLines },
    { weight: 3, arbitrary: chunked },
    { weight: 1, arbitrary: cutBody },
    { weight: 2, arbitrary: pipelined },
  );
}

/** Writes the bytes and reads the first answer (status line, headers, body by Content-Length). */
export function sendRaw(port: number, text: string, timeoutMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(received, timedOut));
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (isWhole(received)) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.write(Buffer.from(text, 'latin1'));
  });
}

/** The bytes after any interim answers (`100 Continue`), which precede the real one. */
function finalAnswer(bytes: Buffer): Buffer {
  let rest = bytes;
  while (/^HTTP\/1\.[01] 1\d\d /.test(rest.subarray(0, 16).toString('latin1'))) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    rest = rest.subarray(end + 4);
  }
  return rest;
}

function isWhole(received: Buffer): boolean {
  const bytes = finalAnswer(received);
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = bytes.subarray(0, end).toString('latin1');
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) return bytes.subarray(end).includes('\r\n0\r\n\r\n');
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
  return length !== undefined && bytes.length >= end + 4 + Number(length);
}

function parse(received: Buffer, timedOut: boolean): RawAnswer {
  const bytes = finalAnswer(received);
  const text = bytes.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]);
  if (end < 0 || !Number.isInteger(status))
    return { headers: {}, body: text, timedOut: timedOut || bytes.length === 0 };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, end).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] ??= line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? Number.NaN);
  const rest = bytes.subarray(Buffer.byteLength(text.slice(0, end + 4)));
  const body = Number.isInteger(length) ? rest.subarray(0, length).toString('utf8') : rest.toString('utf8');
  return { status, headers, body, timedOut: false };
}

/**
 * Node's HTTP server refuses some requests itself, before Fastify sees them (HTTP/1.1
 * without Host: 400; an `Expect` other than `100-continue`: 417): a bare status without
 * content type or body, which Fastify and Nest never send. They are allowed, counted
 * and logged, since no route or hook of the host runs for them.
 */
export function isBareProtocolRefusal(answer: RawAnswer): boolean {
  const empty = answer.body === '' || answer.body === '0\r\n\r\n';
  const clientError = answer.status !== undefined && answer.status >= 400 && answer.status < 500;
  return clientError && empty && !answer.headers['content-type'];
}

/** Problems with the answer to a raw request. */
export function judgeRaw(
  c: RawCase,
  answer: RawAnswer,
  messagesOf: (a: { contentType: string | null; text: string }) => string[] | string,
): string[] {
  if (answer.status === undefined) return c.complete && answer.timedOut ? ['no answer to a complete request'] : [];
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (answer.status >= 400 && answer.status < 500 && !isBareProtocolRefusal(answer)) {
    const read = messagesOf({ contentType: answer.headers['content-type'] ?? null, text: answer.body });
    if (typeof read === 'string') problems.push(`${answer.status}: ${read}`);
  }
  return problems;
}

/** How long to listen after sending an incomplete request (an early answer would be a refusal). */
const INCOMPLETE_WAIT_MS = 100;

/** Options of {@link runRawFuzz}. */
export interface RawFuzzOptions {
  port: number;
  apiKey: string;
  runs: number;
  seed: number;
  path?: string;
  /** How long to wait for the answer to a complete request. */
  timeoutMs: number;
  messagesOf: (a: { contentType: string | null; text: string }) => string[] | string;
  /** Keep going after failures and list one example of each kind (`FUZZ_COLLECT=1`). */
  collect?: boolean;
}

/** Sends raw requests; returns the failure as a message (seed, replay path, request, answer), if any. */
export async function runRawFuzz(
  options: RawFuzzOptions,
): Promise<{ cases: number; bareRefusals: Map<string, number>; failure?: string }> {
  const bareRefusals = new Map<string, number>();
  const collected = new Map<string, string>();
  const property = fc.asyncProperty(rawCase(options.apiKey), async (c) => {
    // An incomplete request gets no answer until the server's own timeout: no need to wait long.
    const answer = await sendRaw(options.port, c.text, c.complete ? options.timeoutMs : INCOMPLETE_WAIT_MS);
    if (isBareProtocolRefusal(answer)) bareRefusals.set(c.label, (bareRefusals.get(c.label) ?? 0) + 1);
    const problems = judgeRaw(c, answer, options.messagesOf);
    if (problems.length === 0) return;
    const shown = c.text.replace(options.apiKey, 'cck_…').slice(0, 600);
    const report =
      `${problems.map((p) => `- ${p}`).join('\n')}\n` +
      `request (${c.label}): ${JSON.stringify(shown)}\n` +
      `answer: ${answer.status ?? 'none'} ${JSON.stringify(answer.headers)} ${JSON.stringify(answer.body.slice(0, 400))}`;
    if (!options.collect) throw new Error(report);
    if (!collected.has(c.label)) collected.set(c.label, report);
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
  });
  if (collected.size > 0) {
    const failure = [`raw HTTP fuzzing, seed ${options.seed}:`, ...collected.values()].join('\n\n');
    return { cases: details.numRuns, bareRefusals, failure };
  }
  if (!details.failed) return { cases: details.numRuns, bareRefusals };
  const error = details.errorInstance;
  return {
    cases: details.numRuns,
    bareRefusals,
    failure: [
      `raw HTTP fuzzing found a failing request after ${details.numRuns} cases, seed ${options.seed}`,
      `replay: FUZZ_SEED=${options.seed}${details.counterexamplePath ? ` FUZZ_PATH=${details.counterexamplePath}` : ''}`,
      error instanceof Error ? error.message : String(error),
    ].join('\n'),
  };
}
