/**
 * Tells whether a path matches a compiled pattern: the values of its `:name` segments
 * when it does (an empty object for a pattern without any), undefined when it does not.
 *
 * @example
 * ```ts
 * const match: PathMatcher = compilePathPattern('/orders/:id');
 * match('/orders/oms_1'); // { id: 'oms_1' }
 * ```
 */
export type PathMatcher = (path: string) => Record<string, string> | undefined;

/**
 * Compiles a literal path with `:name` segments. A `:name` segment matches one
 * non-empty, percent-decoded segment; every other segment must match exactly. Shared
 * by the route table and by `waitForCalls` filters, so both read a pattern alike.
 *
 * @example
 * ```ts
 * const match = compilePathPattern('/orders/:id/cancel');
 * match('/orders/A%2F1/cancel'); // { id: 'A/1' }
 * match('/orders//cancel'); // undefined
 * ```
 */
export function compilePathPattern(pattern: string): PathMatcher {
  const expected = pattern.split('/');
  return (path) => {
    const actual = path.split('/');
    if (actual.length !== expected.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i] ?? '';
      const got = actual[i] ?? '';
      if (want.startsWith(':')) {
        if (got === '') return undefined;
        const value = decodeOrUndefined(got);
        if (value === undefined) return undefined;
        params[want.slice(1)] = value;
      } else if (want !== got) {
        return undefined;
      }
    }
    return params;
  };
}

function decodeOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape cannot name anything the fake stored, so it simply does not match.
    return undefined;
  }
}
