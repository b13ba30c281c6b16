import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Stripe from 'stripe';
import { WebhookSender, type WebhookDelivery, type WebhookSenderOptions } from './webhook-sender.js';
import { signWebhookPayload } from './webhook-signature.js';

const SECRET = 'whsec_test_sender';

/** A webhook endpoint on 127.0.0.1 that verifies signatures as an integration would. */
interface Receiver {
  url: string;
  /** Verified events in arrival order. */
  events: Stripe.Event[];
  rawBodies: string[];
  headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

type Answer = (request: number) => number | 'hang';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const events: Stripe.Event[] = [];
  const rawBodies: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = answer(++requests);
      if (status === 'hang') return;
      try {
        events.push(Stripe.webhooks.constructEvent(raw, req.headers['stripe-signature'] ?? '', SECRET));
        rawBodies.push(raw);
        headers.push(req.headers);
        res.writeHead(status).end();
      } catch {
        res.writeHead(400).end('bad signature');
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks`, events, rawBodies, headers, close };
}

function openSender(options: Partial<WebhookSenderOptions> = {}): WebhookSender {
  const sender = new WebhookSender({ secret: SECRET, retry: { baseDelayMs: 10 }, ...options });
  closers.push(() => sender.close());
  return sender;
}

/** mulberry32: a tiny seeded generator, so duplicate and shuffle draws repeat run to run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function event(n: number): { id: string; object: 'event'; type: string; data: { object: { n: number } } } {
  return { id: `evt_${n}`, object: 'event', type: 'payment_intent.succeeded', data: { object: { n } } };
}

function byStart(deliveries: WebhookDelivery[]): WebhookDelivery[] {
  return [...deliveries].sort((a, b) => a.sequence - b.sequence);
}

describe('signWebhookPayload', () => {
  it('makes a header the stripe package accepts, and one it refuses with another secret', () => {
    const payload = JSON.stringify(event(1));
    const header = signWebhookPayload(payload, SECRET, Math.floor(Date.now() / 1000));
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Stripe.webhooks.constructEvent(payload, header, SECRET).id).toBe('evt_1');
    expect(() => Stripe.webhooks.constructEvent(payload, header, 'whsec_other')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });
});

describe('WebhookSender', () => {
  it('POSTs each event as signed, pretty-printed JSON and records the delivery', async () => {
    const receiver = await startReceiver();
    const sender = openSender({ url: receiver.url });
    expect(sender.send(event(1))).toBe(true);
    await sender.waitForDrained();

    expect(receiver.events.map((e) => e.id)).toEqual(['evt_1']);
    expect(receiver.rawBodies[0]).toBe(JSON.stringify(event(1), null, 2));
    expect(receiver.headers[0]?.['content-type']).toBe('application/json; charset=utf-8');
    expect(receiver.headers[0]?.['user-agent']).toMatch(/^Stripe\//);
    expect(sender.deliveries()).toEqual([
      expect.objectContaining({
        eventId: 'evt_1',
        type: 'payment_intent.succeeded',
        copy: 1,
        attempt: 1,
        sequence: 1,
        url: receiver.url,
        status: 200,
        ok: true,
        delayMs: 0,
      }),
    ]);
    expect(sender.pending).toBe(0);
  });

  it('retries on 500 with exponential backoff until the receiver answers 2xx', async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 204));
    const sender = openSender({ url: receiver.url, retry: { attempts: 5, baseDelayMs: 20 } });
    sender.send(event(1));
    await sender.waitForDrained();

    const deliveries = sender.deliveries();
    expect(deliveries.map((d) => [d.attempt, d.status, d.ok, d.delayMs])).toEqual([
      [1, 500, false, 0],
      [2, 500, false, 20],
      [3, 204, true, 40],
    ]);
    // Every attempt carries its own valid signature, so all three verified.
    expect(receiver.events).toHaveLength(3);
  });

  it('caps the backoff at maxDelayMs and gives up after the last attempt', async () => {
    const receiver = await startReceiver(() => 503);
    const sender = openSender({ url: receiver.url, retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 15 } });
    sender.send(event(1));
    await sender.waitForDrained();
    expect(sender.deliveries().map((d) => [d.attempt, d.status, d.delayMs])).toEqual([
      [1, 503, 0],
      [2, 503, 10],
      [3, 503, 15],
      [4, 503, 15],
    ]);
  });

  it('retries network errors, recording them without a status', async () => {
    const receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close(); // nothing listens on that port any more
    const sender = openSender({ url, retry: { attempts: 3, baseDelayMs: 5 } });
    sender.send(event(1));
    await sender.waitForDrained();
    const deliveries = sender.deliveries();
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery.ok).toBe(false);
      expect(delivery.status).toBeUndefined();
      expect(delivery.error).toEqual(expect.any(String));
    }
  });

  it('gives up on an attempt after timeoutMs', async () => {
    const receiver = await startReceiver((n) => (n === 1 ? 'hang' : 200));
    const sender = openSender({ url: receiver.url, timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 5 } });
    sender.send(event(1));
    await sender.waitForDrained();
    expect(sender.deliveries().map((d) => [d.attempt, d.status, d.error])).toEqual([
      [1, undefined, expect.stringMatching(/timed out/)],
      [2, 200, undefined],
    ]);
  });

  it('delivers a seeded share of events twice, the same ones on every run', async () => {
    const runs: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const receiver = await startReceiver();
      const sender = openSender({ url: receiver.url, duplicates: 0.5, random: seeded(7) });
      for (let n = 1; n <= 20; n++) sender.send(event(n));
      await sender.waitForDrained();

      const twice = sender
        .deliveries()
        .filter((d) => d.copy === 2)
        .map((d) => d.eventId)
        .sort();
      expect(twice.length).toBeGreaterThan(0);
      expect(twice.length).toBeLessThan(20);
      expect(receiver.events).toHaveLength(20 + twice.length);
      // Same event id both times: a receiver must deduplicate by id.
      for (const id of twice) expect(receiver.events.filter((e) => e.id === id)).toHaveLength(2);
      runs.push(twice);
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('shuffles deliveries by seeded random delays, the same order on every run', async () => {
    const orders: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const receiver = await startReceiver();
      const sender = openSender({ url: receiver.url, shuffleMs: 200, random: seeded(42) });
      for (let n = 1; n <= 8; n++) sender.send(event(n));
      await sender.waitForDrained();

      const started = byStart(sender.deliveries());
      // Sent in the same tick, so the delays alone decide the order (ties keep send order).
      const expected = [...sender.deliveries()]
        .sort((a, b) => a.delayMs - b.delayMs || Number(a.eventId.slice(4)) - Number(b.eventId.slice(4)))
        .map((d) => d.eventId);
      expect(started.map((d) => d.eventId)).toEqual(expected);
      expect(receiver.events).toHaveLength(8);
      orders.push(expected);
    }
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[0]).not.toEqual(Array.from({ length: 8 }, (_, i) => `evt_${i + 1}`));
  });

  it('delivers every event `copies` times at once, each copy with its own shuffle delay', async () => {
    const receiver = await startReceiver();
    const sender = openSender({ url: receiver.url, copies: 10, shuffleMs: 50, random: seeded(11) });
    for (let n = 1; n <= 3; n++) sender.send(event(n));
    expect(sender.pending).toBe(30);
    await sender.waitForDrained();

    expect(receiver.events).toHaveLength(30);
    for (let n = 1; n <= 3; n++) {
      const copies = sender.deliveries().filter((d) => d.eventId === `evt_${n}`);
      expect(copies.map((d) => d.copy).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    // Out of order: the receiver did not get the events' copies one event after the other.
    const arrival = byStart(sender.deliveries()).map((d) => d.eventId);
    expect(arrival).not.toEqual([...arrival].sort());
  });

  it('changes copies, duplicates and shuffle for later events with configure, refusing bad values', async () => {
    const receiver = await startReceiver();
    const sender = openSender({ url: receiver.url });
    sender.send(event(1));
    sender.configure({ copies: 3 });
    sender.send(event(2));
    sender.configure({ copies: 1, duplicates: 1 });
    sender.send(event(3));
    await sender.waitForDrained();
    const count = (id: string) => receiver.events.filter((e) => e.id === id).length;
    expect([count('evt_1'), count('evt_2'), count('evt_3')]).toEqual([1, 3, 2]);

    expect(() => sender.configure({ copies: 0 })).toThrow(/copies/);
    expect(() => sender.configure({ copies: 2, shuffleMs: -1 })).toThrow(/shuffleMs/);
    // A refused style changes nothing, not even its valid fields.
    sender.configure({ duplicates: 0 });
    sender.send(event(4));
    await sender.waitForDrained();
    expect(count('evt_4')).toBe(1);
  });

  it('delivers nothing without a URL, and to the new URL once set', async () => {
    const receiver = await startReceiver();
    const sender = openSender();
    expect(sender.url).toBeUndefined();
    expect(sender.send(event(1))).toBe(false);
    await sender.waitForDrained();
    sender.setUrl(receiver.url);
    expect(sender.send(event(2))).toBe(true);
    await sender.waitForDrained();
    expect(receiver.events.map((e) => e.id)).toEqual(['evt_2']);
    expect(() => sender.setUrl('ftp://example.test/')).toThrow(TypeError);
  });

  it('stops timers and cuts deliveries in flight on close, rejecting waits', async () => {
    const receiver = await startReceiver(() => 'hang');
    const sender = openSender({ url: receiver.url, shuffleMs: 10_000, random: () => 0.99 });
    sender.send(event(1)); // waits ~10 s: must not keep jest alive
    const hanging = new WebhookSender({ secret: SECRET, url: receiver.url });
    hanging.send(event(2));
    const drained = sender.waitForDrained({ timeoutMs: 60_000 });
    await sender.close();
    await expect(drained).rejects.toThrow(/closed/);
    expect(sender.pending).toBe(0);
    expect(sender.send(event(3))).toBe(false);
    await hanging.close();
    await hanging.close();
    expect(hanging.deliveries()).toEqual([]);
  });

  it('refuses options out of range', () => {
    expect(() => new WebhookSender({ secret: SECRET, duplicates: 1.5 })).toThrow(RangeError);
    expect(() => new WebhookSender({ secret: SECRET, retry: { attempts: 0 } })).toThrow(/attempts/);
    expect(() => new WebhookSender({ secret: SECRET, shuffleMs: -1 })).toThrow(/shuffleMs/);
    expect(() => new WebhookSender({ secret: SECRET, copies: 1.5 })).toThrow(/copies/);
  });
});
