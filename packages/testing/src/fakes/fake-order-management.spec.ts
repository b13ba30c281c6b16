import { afterEach, describe, expect, it } from '@jest/globals';
import { FaultInjector } from './fault-injector.js';
import { FakeOrderManagement, type FakeOrderManagementOptions } from './fake-order-management.js';

const order = {
  orderId: 'A-1',
  customerId: 'C-1',
  currency: 'EUR',
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 9.5 }],
};

const opened: FakeOrderManagement[] = [];

async function openOms(options?: FakeOrderManagementOptions): Promise<FakeOrderManagement> {
  const oms = new FakeOrderManagement(options);
  opened.push(oms);
  await oms.start();
  return oms;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((oms) => oms.close()));
});

function post(
  oms: FakeOrderManagement,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${oms.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Polls on event-loop turns, not on a clock, until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}

describe('FakeOrderManagement', () => {
  describe('lifecycle', () => {
    it('listens on 127.0.0.1 on a random port and answers health checks', async () => {
      const oms = await openOms();
      expect(oms.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${oms.url}/__health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', name: 'oms' });
      expect(oms.calls).toEqual([]);
    });

    it('closes even with keep-alive connections open, and twice without error', async () => {
      const oms = await openOms();
      await (await fetch(`${oms.url}/__health`)).text();
      await oms.close();
      await oms.close();
      expect(() => oms.url).toThrow(/not started/);
    });
  });

  describe('POST /orders', () => {
    it('creates an order and records the call', async () => {
      const oms = await openOms();
      const res = await post(oms, '/orders', order, { 'X-Trace': 't-1' });
      expect(res.status).toBe(201);
      const created = (await res.json()) as Record<string, unknown>;
      expect(created).toEqual({ id: 'oms_1', orderId: 'A-1', status: 'created', createdAt: expect.any(String) });
      expect(res.headers.get('location')).toBe('/orders/oms_1');

      expect(oms.orders()).toEqual([expect.objectContaining({ id: 'oms_1', ...order, status: 'created' })]);
      const [call] = oms.calls;
      expect(call).toMatchObject({ method: 'POST', path: '/orders', status: 201, body: order });
      expect(call?.headers['x-trace']).toBe('t-1');
      expect(new Date(call?.at ?? '').toISOString()).toBe(call?.at);
    });

    it('replays the stored answer for a repeated Idempotency-Key without a second order', async () => {
      const oms = await openOms();
      const first = await post(oms, '/orders', order, { 'Idempotency-Key': 'k-1' });
      // Same content, different key order: still the same request.
      const reordered = { lines: order.lines, currency: 'EUR', customerId: 'C-1', orderId: 'A-1' };
      const second = await post(oms, '/orders', reordered, { 'Idempotency-Key': 'k-1' });

      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(await second.json()).toEqual(await first.json());
      expect(oms.orders()).toHaveLength(1);
      expect(oms.orders()[0]?.idempotencyKey).toBe('k-1');
    });

    it('answers 422 when a key is reused with a different body', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order, { 'Idempotency-Key': 'k-1' });
      const res = await post(oms, '/orders', { ...order, customerId: 'C-2' }, { 'Idempotency-Key': 'k-1' });
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: 'idempotency_key_reused' });
      expect(oms.orders()).toHaveLength(1);
    });

    it('creates one order per call without a key', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      await post(oms, '/orders', order);
      expect(oms.orders().map((o) => o.id)).toEqual(['oms_1', 'oms_2']);
    });

    it.each([
      ['customerId', { ...order, customerId: undefined }, 'missing_field'],
      ['orderId', { ...order, orderId: '' }, 'missing_field'],
      ['currency', { ...order, currency: 978 }, 'invalid_field'],
      ['lines', { ...order, lines: undefined }, 'missing_field'],
      ['lines[0].quantity', { ...order, lines: [{ sku: 'SKU-1', unitPrice: 1 }] }, 'missing_field'],
      [
        'lines[1].unitPrice',
        { ...order, lines: [order.lines[0], { sku: 'S', quantity: 1, unitPrice: -1 }] },
        'invalid_field',
      ],
    ])('answers 400 naming %s', async (field, body, error) => {
      const oms = await openOms();
      const res = await post(oms, '/orders', body, { 'Idempotency-Key': 'k-bad' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error, field });
      expect(oms.orders()).toEqual([]);
      // Not remembered under the key: the corrected retry goes through.
      expect((await post(oms, '/orders', order, { 'Idempotency-Key': 'k-bad' })).status).toBe(201);
    });

    it('answers 400 to malformed JSON and 413 past the body limit', async () => {
      const oms = await openOms({ bodyLimitBytes: 64 });
      const bad = await post(oms, '/orders', '{"orderId":');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'invalid_json' });
      const big = await post(oms, '/orders', { ...order, note: 'x'.repeat(100) });
      expect(big.status).toBe(413);
      expect(oms.calls.map((c) => c.status)).toEqual([400, 413]);
    });
  });

  describe('order transitions', () => {
    it('reads an order, 404s an unknown one', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      const found = await fetch(`${oms.url}/orders/oms_1`);
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ id: 'oms_1', orderId: 'A-1', status: 'created' });
      const missing = await fetch(`${oms.url}/orders/oms_9`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'order_not_found', id: 'oms_9' });
    });

    it('cancels idempotently and refuses to fulfil a cancelled order', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      for (let i = 0; i < 2; i++) {
        const res = await post(oms, '/orders/oms_1/cancel', undefined);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ id: 'oms_1', status: 'cancelled' });
      }
      const fulfil = await post(oms, '/orders/oms_1/fulfil', undefined);
      expect(fulfil.status).toBe(409);
      expect(await fulfil.json()).toMatchObject({ error: 'order_cancelled' });
      expect((await post(oms, '/orders/oms_2/cancel', undefined)).status).toBe(404);
    });

    it('fulfils idempotently, cancels a fulfilled order, and never fulfils a cancelled one', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      expect((await post(oms, '/orders/oms_1/fulfil', undefined)).status).toBe(200);
      expect((await post(oms, '/orders/oms_1/fulfil', undefined)).status).toBe(200);
      expect(oms.orders()[0]?.status).toBe('fulfilled');
      expect((await post(oms, '/orders/oms_1/cancel', undefined)).status).toBe(200);
      expect((await post(oms, '/orders/oms_1/fulfil', undefined)).status).toBe(409);
    });

    it('logs each status change that took effect once, without the idempotent repeats', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      await post(oms, '/orders', { ...order, orderId: 'A-2' });
      for (let i = 0; i < 3; i++) await post(oms, '/orders/oms_1/fulfil', undefined);
      await post(oms, '/orders/A-1/cancel', undefined);
      await post(oms, '/orders/oms_2/cancel', undefined);
      await post(oms, '/orders/oms_2/cancel', undefined);
      expect((await post(oms, '/orders/oms_2/fulfil', undefined)).status).toBe(409);

      expect(oms.transitions().map(({ id, orderId, from, to }) => ({ id, orderId, from, to }))).toEqual([
        { id: 'oms_1', orderId: 'A-1', from: 'created', to: 'fulfilled' },
        { id: 'oms_1', orderId: 'A-1', from: 'fulfilled', to: 'cancelled' },
        { id: 'oms_2', orderId: 'A-2', from: 'created', to: 'cancelled' },
      ]);
      expect(oms.transitions()[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      // Copies: changing one does not change the fake's log.
      oms.transitions()[0]!.to = 'created';
      expect(oms.transitions()[0]?.to).toBe('fulfilled');
    });

    it("finds an order by the caller's order id too, and flags it for attention", async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      const byRef = await fetch(`${oms.url}/orders/${order.orderId}`);
      expect(((await byRef.json()) as { id: string }).id).toBe('oms_1');
      expect((await post(oms, `/orders/${order.orderId}/attention`, {})).status).toBe(400);
      expect((await post(oms, `/orders/${order.orderId}/attention`, { reason: 'card declined' })).status).toBe(200);
      expect(oms.orders()[0]?.attention).toBe('card declined');
    });

    it('answers 404 to unknown paths and 405 to known paths with the wrong method', async () => {
      const oms = await openOms();
      expect((await fetch(`${oms.url}/nope`)).status).toBe(404);
      expect((await fetch(`${oms.url}/orders`)).status).toBe(405);
    });
  });

  describe('faults', () => {
    it('fails the next N calls with 503, then creates normally', async () => {
      const oms = await openOms();
      oms.faults.set({ failNext: 2 });
      expect((await post(oms, '/orders', order)).status).toBe(503);
      const second = await post(oms, '/orders', order);
      expect(second.status).toBe(503);
      expect(await second.json()).toEqual({ error: 'injected_fault', status: 503 });
      expect((await post(oms, '/orders', order)).status).toBe(201);
      expect(oms.orders()).toHaveLength(1);
      expect(oms.calls.map((c) => [c.status, c.fault])).toEqual([
        [503, 'fail'],
        [503, 'fail'],
        [201, undefined],
      ]);
    });

    it('holds the answer back for the latency; the call is recorded only afterwards', async () => {
      const oms = await openOms();
      oms.faults.set({ latencyMs: 300 });
      const response = post(oms, '/orders', order);
      // The request has reached the fake and is stalled in the latency timer.
      await until(() => oms.faults.pending === 1);
      expect(oms.calls).toEqual([]);
      expect(oms.orders()).toEqual([]);

      expect((await response).status).toBe(201);
      expect(oms.calls).toHaveLength(1);
      // Only a floor: timers never fire early, but a busy machine may fire them late.
      expect(oms.calls[0]?.durationMs).toBeGreaterThanOrEqual(250);
    });

    it('ends stalled calls when closed, so no timer outlives the test', async () => {
      const oms = await openOms();
      oms.faults.set({ latencyMs: 60_000 });
      const response = post(oms, '/orders', order);
      await until(() => oms.faults.pending === 1);
      await oms.close();
      await expect(response).rejects.toThrow();
      expect(oms.faults.pending).toBe(0);
      expect(oms.orders()).toEqual([]);
    });

    it('destroys the socket for reset calls, so fetch rejects', async () => {
      const oms = await openOms({ faults: new FaultInjector({ random: () => 0 }) });
      oms.faults.set({ resetRate: 1 });
      await expect(post(oms, '/orders', order)).rejects.toThrow();
      expect(oms.orders()).toEqual([]);
      expect(oms.calls).toEqual([expect.objectContaining({ path: '/orders', fault: 'reset' })]);
      expect(oms.calls[0]).not.toHaveProperty('status');

      oms.faults.reset();
      expect((await post(oms, '/orders', order)).status).toBe(201);
    });

    it('refuses calls while down and serves them after, by the injected clock', async () => {
      let clock = Date.now();
      const oms = await openOms({ faults: new FaultInjector({ now: () => clock }) });
      oms.faults.downFor(10_000);
      await expect(post(oms, '/orders', order)).rejects.toThrow();
      // Control routes still answer, so a test can see and steer a "down" fake.
      expect((await fetch(`${oms.url}/__health`)).status).toBe(200);

      clock += 10_000;
      expect((await post(oms, '/orders', order)).status).toBe(201);
      expect(oms.calls.map((c) => c.fault ?? c.status)).toEqual(['reset', 201]);
    });

    it('takes fault plans over HTTP through /__faults', async () => {
      const oms = await openOms();
      const set = await post(oms, '/__faults', { failNext: 1, failStatus: 500, latencyMs: null });
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ failNext: 1, failStatus: 500 });
      expect(oms.faults.plan).toEqual({ failNext: 1, failStatus: 500 });
      expect((await post(oms, '/orders', order)).status).toBe(500);

      const cleared = await post(oms, '/__faults', { reset: true, latencyMs: 1 });
      expect(await cleared.json()).toEqual({ latencyMs: 1 });
      expect(await (await fetch(`${oms.url}/__faults`)).json()).toEqual({ latencyMs: 1 });

      const down = await post(oms, '/__faults', { reset: true, downForMs: 60_000 });
      expect(((await down.json()) as { downUntil: number }).downUntil).toBeGreaterThan(Date.now());
      await expect(post(oms, '/orders', order)).rejects.toThrow();
      await post(oms, '/__faults', { reset: true });
      expect((await post(oms, '/orders', order)).status).toBe(201);
    });

    it('rejects bad plans over HTTP with 400 naming the field and keeps the old plan', async () => {
      const oms = await openOms();
      oms.faults.set({ failureRate: 0.1 });
      const range = await post(oms, '/__faults', { reset: true, failureRate: 2 });
      expect(range.status).toBe(400);
      expect(await range.json()).toMatchObject({ error: 'invalid_fault_plan', field: 'failureRate' });
      const unknown = await post(oms, '/__faults', { failrate: 0.5 });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ field: 'failrate' });
      expect(oms.faults.plan).toEqual({ failureRate: 0.1 });
    });
  });

  describe('concurrency', () => {
    it('counts calls in flight and keeps the most at once until the peak is reset', async () => {
      const oms = await openOms();
      oms.faults.set({ latencyMs: 200 });
      const three = [1, 2, 3].map((n) => post(oms, '/orders', { ...order, orderId: `A-${n}` }));
      await until(() => oms.inFlight === 3);
      // Control routes are never counted.
      expect((await fetch(`${oms.url}/__health`)).status).toBe(200);
      expect(oms.inFlight).toBe(3);
      await Promise.all(three);
      expect(oms.inFlight).toBe(0);
      expect(oms.peakInFlight).toBe(3);

      oms.resetPeakInFlight();
      expect(oms.peakInFlight).toBe(0);
      oms.faults.reset();
      await post(oms, '/orders', { ...order, orderId: 'A-4' });
      expect(oms.peakInFlight).toBe(1);
    });

    it('counts calls cut off by a fault until the socket is destroyed', async () => {
      const oms = await openOms({ faults: new FaultInjector({ random: () => 0 }) });
      oms.faults.set({ resetRate: 1 });
      await expect(post(oms, '/orders', order)).rejects.toThrow();
      expect(oms.inFlight).toBe(0);
      expect(oms.peakInFlight).toBe(1);
    });
  });

  describe('ledger', () => {
    it('serves the ledger at /__calls without recording control calls', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order, { 'Idempotency-Key': 'k-1' });
      await fetch(`${oms.url}/__health`);
      const res = await fetch(`${oms.url}/__calls`);
      const calls = (await res.json()) as {
        method: string;
        path: string;
        status: number;
        headers: Record<string, string>;
      }[];
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: 'POST', path: '/orders', status: 201 });
      expect(calls[0]?.headers['idempotency-key']).toBe('k-1');
    });

    it('waitForCalls resolves with matching calls once enough arrive', async () => {
      const oms = await openOms();
      const waiting = oms.waitForCalls(2, { method: 'post', path: '/orders/:id/cancel' });
      await post(oms, '/orders', order);
      await post(oms, '/orders/oms_1/cancel', undefined);
      await fetch(`${oms.url}/orders/oms_1`);
      await post(oms, '/orders/oms_1/cancel', undefined);
      const calls = await waiting;
      expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
        'POST /orders/oms_1/cancel 200',
        'POST /orders/oms_1/cancel 200',
      ]);
      // Already satisfied: resolves at once.
      expect(await oms.waitForCalls(1, { path: '/orders' })).toHaveLength(1);
    });

    it('waitForCalls rejects saying how many arrived', async () => {
      const oms = await openOms();
      await post(oms, '/orders', order);
      await expect(oms.waitForCalls(3, { path: '/orders', timeoutMs: 50 })).rejects.toThrow(
        'waitForCalls on oms: expected 3 calls to /orders, 1 arrived (timed out after 50ms)',
      );
    });

    it('waitForCalls rejects when the fake closes', async () => {
      const oms = await openOms();
      const waiting = oms.waitForCalls(1);
      await oms.close();
      await expect(waiting).rejects.toThrow(/0 arrived \(fake oms closed\)/);
    });

    it('emits each call to onCall listeners until unsubscribed', async () => {
      const oms = await openOms();
      const seen: string[] = [];
      const stop = oms.onCall((call) => seen.push(`${call.method} ${call.path} ${call.status}`));
      await post(oms, '/orders', order);
      stop();
      await post(oms, '/orders', order);
      expect(seen).toEqual(['POST /orders 201']);
    });
  });
});
