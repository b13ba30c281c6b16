import { stdSerializers } from 'pino';
import { SECRET_VARIABLE } from './secret-names.js';

/** What replaces a secret in a log line. */
export const REDACTED = '[Redacted]';

/**
 * Field names whose values never reach a log line, at any depth: credentials in headers
 * (`authorization`, `cookie`, `stripe-signature`) and anything named like an API key, a
 * secret, a password or a token. Idempotency keys are not secrets and stay.
 */
export const SECRET_FIELD =
  /authorization|cookie|stripe-signature|api[-_]?key|secret|passw(or)?d|private[-_]?key|(access|refresh|auth|bearer)[-_]?token/i;

/** Shorter values would also match ordinary text; secrets this short are not worth the name. */
const MIN_SECRET_LENGTH = 8;

const MAX_DEPTH = 8;

/** A copy of `value` with every {@link SECRET_FIELD} masked; errors become plain objects. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (value instanceof Error) return redactFields(stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_FIELD.test(key) ? REDACTED : redactFields(item, depth + 1);
  }
  return copy;
}

/**
 * The secret values in `env`: every variable named like a key, secret, password or token
 * (`PAYMENTS_PROVIDER_API_KEY`, `PAYMENTS_STRIPE_WEBHOOK_SECRET`, …) and the password of
 * `REDIS_URL`. A line is scrubbed of them whatever field or message they hide in.
 */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_VARIABLE.test(name)) secrets.add(value);
  }
  const redisPassword = passwordOf(env['REDIS_URL']);
  if (redisPassword) secrets.add(redisPassword);
  const found = [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  // As they appear inside a JSON string, too (quotes and backslashes escaped).
  const escaped = found.map((secret) => JSON.stringify(secret).slice(1, -1)).filter((e) => !found.includes(e));
  // Longest first, so a secret containing another is replaced whole.
  return [...found, ...escaped].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of `secrets` in `line`. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let scrubbed = line;
  for (const secret of secrets) {
    if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
  }
  return scrubbed;
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
