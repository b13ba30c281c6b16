import type { CallLedger } from './call-ledger.js';
import { InvalidFaultPlanError, type FaultInjector, type FaultPlan } from './fault-injector.js';
import type { FakeReply, RouteTable } from './route-table.js';

/**
 * What the control routes inspect and steer.
 *
 * @example
 * ```ts
 * const subject: ControlRouteSubject = { name: 'oms', faults: new FaultInjector(), ledger };
 * ```
 */
export interface ControlRouteSubject {
  /** Short name of the fake, answered by `/__health`. */
  name: string;
  faults: FaultInjector;
  ledger: CallLedger;
}

/** Every field of a plan, for checking a remote plan's keys and clearing them all. */
const FAULT_FIELDS: readonly (keyof FaultPlan)[] = [
  'latencyMs',
  'failureRate',
  'failStatus',
  'resetRate',
  'downUntil',
  'failNext',
];

/**
 * Adds the control routes, which are never faulted and never recorded, so a test or a
 * chaos script can steer a fake over HTTP even while it is "down":
 *
 * - `GET /__health` → 200 `{ status: 'ok', name }`;
 * - `GET /__calls` → the ledger as a JSON array;
 * - `GET /__faults` → the plan in force; `POST /__faults` with a partial
 *   {@link FaultPlan} (plus `reset: true` to clear first, `downForMs` for an outage
 *   relative to now, `null` to clear a field) → 200 with the new plan, or 400.
 *
 * Add them before any other route so the first-match rule keeps them reachable.
 *
 * @example
 * ```ts
 * const routes = new RouteTable();
 * addControlRoutes(routes, { name: 'oms', faults, ledger });
 * ```
 */
export function addControlRoutes(routes: RouteTable, subject: ControlRouteSubject): void {
  const { name, faults, ledger } = subject;
  routes.add('GET', '/__health', () => ({ status: 200, body: { status: 'ok', name } }), { control: true });
  routes.add('GET', '/__calls', () => ({ status: 200, body: ledger.entries }), { control: true });
  routes.add('GET', '/__faults', () => ({ status: 200, body: faults.plan }), { control: true });
  routes.add('POST', '/__faults', (req) => applyFaultPatch(faults, req.body), { control: true });
}

/**
 * Applies the body of `POST /__faults` to an injector, all or nothing.
 *
 * @returns 200 with the plan now in force, or 400 `invalid_fault_plan` (naming the
 *   field when one is to blame) with the plan unchanged.
 * @example
 * ```ts
 * applyFaultPatch(faults, { reset: true, failNext: 2 }); // { status: 200, body: { failNext: 2 } }
 * ```
 */
export function applyFaultPatch(faults: FaultInjector, body: unknown): FakeReply {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, body: { error: 'invalid_fault_plan', message: 'body must be a JSON object' } };
  }
  const { reset, downForMs, ...rest } = body as Record<string, unknown>;
  const plan: Partial<FaultPlan> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (!(FAULT_FIELDS as readonly string[]).includes(key)) {
      return {
        status: 400,
        body: { error: 'invalid_fault_plan', field: key, message: `${key} is not a fault plan field` },
      };
    }
    // JSON cannot carry undefined, so null is how a remote caller clears a field.
    plan[key as keyof FaultPlan] = value === null ? undefined : (value as number);
  }
  if (downForMs !== undefined && (typeof downForMs !== 'number' || !Number.isFinite(downForMs) || downForMs < 0)) {
    return {
      status: 400,
      body: {
        error: 'invalid_fault_plan',
        field: 'downForMs',
        message: 'downForMs must be a number of milliseconds, 0 or more',
      },
    };
  }
  // Clearing through set() rather than reset() keeps the old plan when the new one is invalid.
  const cleared: Partial<FaultPlan> =
    reset === true ? Object.fromEntries(FAULT_FIELDS.map((field) => [field, undefined])) : {};
  try {
    faults.set({ ...cleared, ...plan });
    if (typeof downForMs === 'number') faults.downFor(downForMs);
  } catch (err) {
    if (err instanceof InvalidFaultPlanError) {
      return { status: 400, body: { error: 'invalid_fault_plan', field: err.field, message: err.message } };
    }
    throw err;
  }
  return { status: 200, body: faults.plan };
}
