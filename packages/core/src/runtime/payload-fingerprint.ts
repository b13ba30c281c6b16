import { hash } from 'node:crypto';

/**
 * A hash of a payload that does not depend on property order, so the same data sent
 * with its keys in another order still counts as the same request.
 */
export function payloadFingerprint(payload: unknown): string {
  return hash('sha256', canonicalJson(payload), 'hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
