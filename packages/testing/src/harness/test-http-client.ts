/**
 * An answer of the API host under test.
 *
 * @example
 * ```ts
 * const res: TestResponse<{ taskId: string }> = await coordinator.http.post('/orders', body);
 * ```
 */
export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: T;
}

/**
 * Real HTTP against the API host under test (global fetch on 127.0.0.1).
 *
 * @example
 * ```ts
 * const res = await http.post('/orders', order, { 'idempotency-key': 'k-12345678' });
 * ```
 */
export class TestHttpClient {
  /**
   * @param defaultHeaders sent with every request unless the call names the same header
   *   (lower-case), e.g. the caller's `authorization`
   */
  constructor(
    readonly baseUrl: string,
    readonly defaultHeaders: Readonly<Record<string, string>> = {},
  ) {}

  /** The same client with other default headers (`{}` for an anonymous caller). */
  withHeaders(headers: Record<string, string>): TestHttpClient {
    return new TestHttpClient(this.baseUrl, headers);
  }

  get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<TestResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  /** Any request; a string body is sent as-is (to test malformed JSON), anything else as JSON. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const init: RequestInit = { method, headers: { ...this.defaultHeaders, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(new URL(path, this.baseUrl), init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}
