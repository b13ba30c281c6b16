/**
 * One `metadata['key']:'value'` clause of a Stripe search query.
 *
 * @example
 * ```ts
 * const clause: MetadataClause = { key: 'orderId', value: 'A-1' };
 * ```
 */
export interface MetadataClause {
  key: string;
  value: string;
}

// Stripe's search language is much larger; integrations here only look intents up by
// metadata, so anything else is refused rather than half-understood.
const CLAUSE = /^\s*metadata\[(['"])(.+?)\1\]\s*:\s*(['"])((?:\\.|(?!\3)[^\\])*)\3\s*$/s;

/**
 * Parses a search query of exactly the form `metadata['key']:'value'` (either quote
 * character, `\'` escapes a quote inside the value).
 *
 * @returns the clause, or undefined for any other query.
 * @example
 * ```ts
 * parseMetadataQuery("metadata['orderId']:'A-1'"); // { key: 'orderId', value: 'A-1' }
 * parseMetadataQuery("status:'succeeded'"); // undefined
 * ```
 */
export function parseMetadataQuery(query: string): MetadataClause | undefined {
  const match = CLAUSE.exec(query);
  if (!match) return undefined;
  return { key: match[2] ?? '', value: (match[4] ?? '').replace(/\\(.)/gs, '$1') };
}
