import { SIGNAL_BRAND } from './contract-version.js';
import type { PayloadClass } from './payload-class.js';

/**
 * What a signal author writes; see {@link defineSignal}.
 *
 * @example
 * ```ts
 * const spec: SignalSpec<OrderPlaced> = { name: 'order.placed', payload: OrderPlaced };
 * ```
 */
export interface SignalSpec<P extends object> {
  /** `<subject>.<event>` in the past tense, unique across every loaded extension. */
  name: string;
  payload: PayloadClass<P>;
  /** When true, hosts start even if no loaded extension handles the signal. */
  optional?: boolean;
}

/**
 * A signal as the hosts see it: plain, frozen and branded.
 *
 * @example
 * ```ts
 * const s: SignalDefinition<OrderPlaced> = orderPlaced;
 * ```
 */
export interface SignalDefinition<P extends object = object> {
  readonly [SIGNAL_BRAND]: true;
  readonly name: string;
  readonly payload: PayloadClass<P>;
  readonly optional: boolean;
}

const SIGNAL_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Declares a signal: the only way extensions talk to each other. Emitting it enqueues
 * one job per subscribed handler, so each handler retries on its own.
 *
 * @example
 * ```ts
 * export const orderPlaced = defineSignal({ name: 'order.placed', payload: OrderPlaced });
 * ```
 */
export function defineSignal<P extends object>(spec: SignalSpec<P>): SignalDefinition<P> {
  if (!SIGNAL_NAME.test(spec.name)) {
    throw new TypeError(`signal name "${spec.name}" must be namespaced and lower-case, like "order.placed"`);
  }
  if (typeof spec.payload !== 'function') throw new TypeError(`signal ${spec.name}: payload must be a DTO class`);
  return Object.freeze({
    [SIGNAL_BRAND]: true as const,
    name: spec.name,
    payload: spec.payload,
    optional: spec.optional ?? false,
  });
}

/**
 * True when `value` is a signal made by {@link defineSignal}.
 *
 * @example
 * ```ts
 * isSignalDefinition(orderPlaced); // true
 * ```
 */
export function isSignalDefinition(value: unknown): value is SignalDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SIGNAL_BRAND] === true;
}
