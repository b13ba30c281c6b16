import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A Stripe-looking object id: the prefix, an underscore and 24 random base-62
 * characters. Drawn from the crypto source, not the fake's injectable `random`, so
 * seeding webhook duplicates and shuffling never changes (or collides) ids.
 *
 * @example
 * ```ts
 * stripeId('pi'); // 'pi_3QfVq2Lx9J0aBcDeFgHiJkLm'
 * ```
 */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = '';
  // 62 does not divide 256, so the first few letters are a touch likelier; ids only need to be unique.
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}
