import { createHash } from 'node:crypto';
import { FakeHttpServer, type FakeHttpServerOptions, type FakeReply, type FakeRequest } from './fake-http-server.js';

/**
 * One line of an order sent to the OMS.
 *
 * @example
 * ```ts
 * const line: OmsOrderLine = { sku: 'SKU-1', quantity: 2, unitPrice: 9.99 };
 * ```
 */
export interface OmsOrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/**
 * Life cycle of an OMS order: created, then either cancelled or fulfilled.
 *
 * @example
 * ```ts
 * const done: OmsOrderStatus = 'fulfilled';
 * ```
 */
export type OmsOrderStatus = 'created' | 'cancelled' | 'fulfilled';

/**
 * An order as the fake OMS stores it and answers `GET /orders/:id` with.
 *
 * @example
 * ```ts
 * const [order] = oms.orders();
 * order.id; // 'oms_1'
 * order.status; // 'created'
 * ```
 */
export interface OmsOrder {
  /** OMS id, `oms_<n>`, numbered from 1 per fake. */
  id: string;
  /** The caller's order id, as sent. */
  orderId: string;
  customerId: string;
  lines: OmsOrderLine[];
  currency: string;
  status: OmsOrderStatus;
  createdAt: string;
  updatedAt: string;
  /** `Idempotency-Key` the order was created with, if any. */
  idempotencyKey?: string;
  /** Why someone should look at the order (set by `POST /orders/:id/attention`). */
  attention?: string;
}

/**
 * One change of an order's status, as the fake OMS applied it: the effect of a cancel or
 * fulfil call. Repeated calls that change nothing (idempotent retries) are not in it, so
 * two entries for one order and status mean the status was really reached twice.
 *
 * @example
 * ```ts
 * const [change] = oms.transitions();
 * change; // { id: 'oms_1', orderId: 'A-1', from: 'created', to: 'fulfilled', at: '…' }
 * ```
 */
export interface OmsTransition {
  /** OMS id of the order. */
  id: string;
  /** The caller's order id. */
  orderId: string;
  /** The status before the change. */
  from: OmsOrderStatus;
  /** The status after it. */
  to: OmsOrderStatus;
  /** When it happened, as an ISO timestamp. */
  at: string;
}

/**
 * Body of the 201 answer to `POST /orders` (and of its idempotent replays).
 *
 * @example
 * ```ts
 * const created = (await res.json()) as OmsCreatedOrder; // { id: 'oms_1', orderId: 'A-1', status: 'created', createdAt: '…' }
 * ```
 */
export interface OmsCreatedOrder {
  id: string;
  orderId: string;
  status: 'created';
  createdAt: string;
}

/**
 * Construction options of {@link FakeOrderManagement}; see {@link FakeHttpServerOptions}.
 *
 * @example
 * ```ts
 * const oms = new FakeOrderManagement({ faults: new FaultInjector({ random: () => 0 }) });
 * ```
 */
export type FakeOrderManagementOptions = Omit<FakeHttpServerOptions, 'name'>;

interface StoredReply {
  /** Hash of the canonical request body, to tell a retry from a reused key. */
  fingerprint: string;
  reply: FakeReply;
}

/**
 * A fake order-management service (OMS) on a real port, for tests and the demo.
 *
 * - `POST /orders` → 201 {@link OmsCreatedOrder}. With an `Idempotency-Key` header, the
 *   same key and body replays the stored answer (`Idempotent-Replayed: true`, no new
 *   order); the same key with another body → 422 `{ error: 'idempotency_key_reused' }`.
 *   Invalid bodies → 400 `{ error: 'missing_field' | 'invalid_field', field }` and are
 *   not remembered under the key, so a corrected retry may reuse it.
 * - `GET /orders/:id` → 200 {@link OmsOrder} or 404. `:id` is the service's id or the
 *   caller's `orderId` (its external reference), on every `/orders/:id` route.
 * - `POST /orders/:id/cancel` → 200 cancelled (again 200 when already cancelled; a
 *   fulfilled order may be cancelled too).
 * - `POST /orders/:id/attention` `{ reason }` → 200 with `attention` set.
 * - `POST /orders/:id/fulfil` → 200 fulfilled (again 200 when already fulfilled; 409
 *   when cancelled).
 * - Control routes `/__health`, `/__calls`, `/__faults` from {@link FakeHttpServer}.
 *
 * @example
 * ```ts
 * const oms = new FakeOrderManagement();
 * await oms.start();
 * oms.faults.set({ failNext: 1 }); // the first attempt gets a 503
 * // ...run the code under test against oms.url...
 * await oms.waitForCalls(2, { path: '/orders' });
 * expect(oms.orders()).toHaveLength(1);
 * await oms.close();
 * ```
 */
export class FakeOrderManagement extends FakeHttpServer {
  private readonly store = new Map<string, OmsOrder>();
  private readonly idempotent = new Map<string, StoredReply>();
  private readonly changes: OmsTransition[] = [];
  private nextNumber = 1;

  constructor(options: FakeOrderManagementOptions = {}) {
    super({ ...options, name: 'oms' });
    this.route('POST', '/orders', (req) => this.create(req));
    this.route('GET', '/orders/:id', (req) => this.read(req.params['id'] ?? ''));
    this.route('POST', '/orders/:id/cancel', (req) => this.transition(req.params['id'] ?? '', 'cancelled'));
    this.route('POST', '/orders/:id/fulfil', (req) => this.transition(req.params['id'] ?? '', 'fulfilled'));
    this.route('POST', '/orders/:id/attention', (req) => this.flag(req.params['id'] ?? '', req.body));
  }

  /**
   * Copies of every order created so far, oldest first; duplicates show up here when
   * the code under test creates an order twice.
   *
   * @example
   * ```ts
   * expect(oms.orders().map((o) => o.orderId)).toEqual(['A-1']);
   * ```
   */
  orders(): OmsOrder[] {
    return [...this.store.values()].map((order) => structuredClone(order));
  }

  /**
   * Copies of every status change (cancel, fulfil) that took effect, oldest first: the
   * effects of those calls, without the idempotent repeats the call ledger also holds.
   *
   * @example
   * ```ts
   * const fulfils = oms.transitions().filter((t) => t.to === 'fulfilled' && t.orderId === 'A-1');
   * expect(fulfils).toHaveLength(1);
   * ```
   */
  transitions(): OmsTransition[] {
    return this.changes.map((change) => ({ ...change }));
  }

  private create(req: FakeRequest): FakeReply {
    const key = req.headers['idempotency-key'] || undefined;
    const fingerprint = key === undefined ? '' : fingerprintOf(req.body);
    if (key !== undefined) {
      const stored = this.idempotent.get(key);
      if (stored && stored.fingerprint !== fingerprint)
        return { status: 422, body: { error: 'idempotency_key_reused' } };
      if (stored) return { ...stored.reply, headers: { ...stored.reply.headers, 'idempotent-replayed': 'true' } };
    }

    const checked = checkCreateBody(req.body);
    if ('field' in checked) return { status: 400, body: checked };

    const now = new Date().toISOString();
    const order: OmsOrder = {
      id: `oms_${this.nextNumber++}`,
      ...checked.value,
      status: 'created',
      createdAt: now,
      updatedAt: now,
      ...(key === undefined ? {} : { idempotencyKey: key }),
    };
    this.store.set(order.id, order);
    const created: OmsCreatedOrder = { id: order.id, orderId: order.orderId, status: 'created', createdAt: now };
    const reply: FakeReply = { status: 201, body: created, headers: { location: `/orders/${order.id}` } };
    if (key !== undefined) this.idempotent.set(key, { fingerprint, reply });
    return reply;
  }

  /** By the service's own id, or by the client's order id (its external reference). */
  private find(id: string): OmsOrder | undefined {
    return this.store.get(id) ?? [...this.store.values()].find((order) => order.orderId === id);
  }

  private read(id: string): FakeReply {
    const order = this.find(id);
    return order ? { status: 200, body: order } : notFound(id);
  }

  private transition(id: string, to: 'cancelled' | 'fulfilled'): FakeReply {
    const order = this.find(id);
    if (!order) return notFound(id);
    // Repeating a transition is a no-op so retried cancel/fulfil calls are safe. A
    // fulfilled order may still be cancelled (and refunded); a cancelled one is final.
    const allowed = to === 'cancelled' ? order.status !== 'cancelled' : order.status === 'created';
    if (!allowed && order.status !== to) {
      return { status: 409, body: { error: `order_${order.status}`, id, status: order.status } };
    }
    if (order.status !== to) {
      const at = new Date().toISOString();
      this.changes.push({ id: order.id, orderId: order.orderId, from: order.status, to, at });
      order.status = to;
      order.updatedAt = at;
    }
    return { status: 200, body: order };
  }

  private flag(id: string, body: unknown): FakeReply {
    const order = this.find(id);
    if (!order) return notFound(id);
    const reason = flagBody(body);
    if (reason === undefined) return { status: 400, body: { error: 'missing_field', field: 'reason' } };
    order.attention = reason;
    order.updatedAt = new Date().toISOString();
    return { status: 200, body: order };
  }
}

/** The reason of `POST /orders/:id/attention`, or undefined when it is missing. */
function flagBody(body: unknown): string | undefined {
  const reason = isRecord(body) ? body['reason'] : undefined;
  return typeof reason === 'string' && reason !== '' ? reason.slice(0, 500) : undefined;
}

type CheckedBody =
  { value: Pick<OmsOrder, 'orderId' | 'customerId' | 'lines' | 'currency'> } | { error: string; field: string };

function checkCreateBody(body: unknown): CheckedBody {
  if (!isRecord(body)) return { error: 'invalid_body', field: 'body' };
  for (const field of ['orderId', 'customerId', 'currency'] as const) {
    const value = body[field];
    if (value === undefined || value === null || value === '') return { error: 'missing_field', field };
    if (typeof value !== 'string') return { error: 'invalid_field', field };
  }
  const lines = body['lines'];
  if (lines === undefined || lines === null) return { error: 'missing_field', field: 'lines' };
  if (!Array.isArray(lines) || lines.length === 0) return { error: 'invalid_field', field: 'lines' };
  const checkedLines: OmsOrderLine[] = [];
  for (const [index, line] of (lines as unknown[]).entries()) {
    const at = `lines[${index}]`;
    if (!isRecord(line)) return { error: 'invalid_field', field: at };
    const { sku, quantity, unitPrice } = line;
    if (sku === undefined || sku === '') return { error: 'missing_field', field: `${at}.sku` };
    if (typeof sku !== 'string') return { error: 'invalid_field', field: `${at}.sku` };
    if (quantity === undefined) return { error: 'missing_field', field: `${at}.quantity` };
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1)
      return { error: 'invalid_field', field: `${at}.quantity` };
    if (unitPrice === undefined) return { error: 'missing_field', field: `${at}.unitPrice` };
    if (typeof unitPrice !== 'number' || !Number.isFinite(unitPrice) || unitPrice < 0)
      return { error: 'invalid_field', field: `${at}.unitPrice` };
    checkedLines.push({ sku, quantity, unitPrice });
  }
  return {
    value: {
      orderId: body['orderId'] as string,
      customerId: body['customerId'] as string,
      lines: checkedLines,
      currency: body['currency'] as string,
    },
  };
}

function notFound(id: string): FakeReply {
  return { status: 404, body: { error: 'order_not_found', id } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Key order must not matter: a retry that serialises the same body differently is still a retry. */
function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
