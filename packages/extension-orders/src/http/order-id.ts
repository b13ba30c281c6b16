import { hash } from 'node:crypto';

/**
 * The order id for a caller's idempotency key: the same key always names the same order,
 * so a client that retries `POST /orders` gets the same order back, never a second one,
 * while another caller's identical key names another order. Shaped as a version-4 UUID
 * so it validates like any other order id.
 */
export function orderIdFor(principalId: string, idempotencyKey: string): string {
  const hex = hash('sha256', `orders:${principalId}\u0000${idempotencyKey}`, 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
