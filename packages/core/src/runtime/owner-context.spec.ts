import { describe, expect, it } from '@jest/globals';
import type { Principal } from '../access/principal.js';
import { actingPrincipal, currentOwner, runAsOwner, runAsPrincipal } from './owner-context.js';

const shop: Principal = Object.freeze({ id: 'key:shop', scopes: ['orders:write'], via: 'api-key' });

describe('owner context', () => {
  it('is empty outside any run', () => {
    expect([currentOwner(), actingPrincipal()]).toEqual([undefined, undefined]);
  });

  it('gives code run as a principal, and what it awaits, that principal and its id as owner', async () => {
    const seen = await runAsPrincipal(shop, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [currentOwner(), actingPrincipal()];
    });
    expect(seen).toEqual(['key:shop', shop]);
    expect(currentOwner()).toBeUndefined();
  });

  it('runs as an owner without a principal, also when nested in a principal’s run', () => {
    expect(runAsOwner('key:other', () => [currentOwner(), actingPrincipal()])).toEqual(['key:other', undefined]);
    expect(runAsPrincipal(shop, () => runAsOwner('key:other', () => [currentOwner(), actingPrincipal()]))).toEqual([
      'key:other',
      undefined,
    ]);
  });

  it('keeps concurrent runs apart', async () => {
    const other: Principal = { id: 'jwt:svc', scopes: [], via: 'jwt' };
    const read = (principal: Principal) =>
      runAsPrincipal(principal, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return actingPrincipal()?.id;
      });
    await expect(Promise.all([read(shop), read(other)])).resolves.toEqual(['key:shop', 'jwt:svc']);
  });
});
