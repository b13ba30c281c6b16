import { StripeRequestFailure } from './stripe-errors.js';

/**
 * Checks the secret key of a Stripe request the way Stripe does: `Authorization: Bearer
 * <key>` (what the `stripe` package sends) or HTTP basic auth with the key as user name
 * (what `curl -u sk_test_…:` sends).
 *
 * @returns undefined when the key matches, else the 401 to answer, which the `stripe`
 *   package raises as `StripeAuthenticationError`.
 * @example
 * ```ts
 * const refused = checkApiKey(req.headers['authorization'], 'sk_test_fake');
 * if (refused) return refused.toReply();
 * ```
 */
export function checkApiKey(authorization: string | undefined, apiKey: string): StripeRequestFailure | undefined {
  const presented = keyOf(authorization ?? '');
  if (presented === apiKey) return undefined;
  if (presented === undefined || presented === '') {
    return new StripeRequestFailure(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  return new StripeRequestFailure(401, {
    type: 'invalid_request_error',
    code: 'api_key_invalid',
    message: `Invalid API Key provided: ${redact(presented)}`,
  });
}

function keyOf(authorization: string): string | undefined {
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':', 1)[0];
  return undefined;
}

/** Like Stripe, never echo a whole secret into an error message or a log. */
function redact(key: string): string {
  return key.length <= 12 ? '*'.repeat(key.length) : `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}
