import { hash } from 'node:crypto';

/**
 * A hash of a payload that does not depend on property order, so the same data sent
 * with its keys in another order still counts as the same request.
 */
export function payloadFingerprint(payload: unknown): string {
  return hash('sha256', canonicalJson(payload), 'hex');
}

/**
 * JSON with every object's keys sorted and its undefined values left out. Fingerprints are
 * stored with jobs and compared with later dispatches' across versions, so the text must
 * never change (payload-fingerprint.spec.ts holds the reference). Built in one string, not
 * from arrays of entries: it runs on every keyed dispatch.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    // The default sort orders strings by UTF-16 code units, as `<` does.
    const keys = Object.keys(value).sort();
    let json = '{';
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      json += `${json.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    }
    return `${json}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
