import type { SignalDefinition } from './define-signal.js';
import type { TaskDefinition } from './define-task.js';

/**
 * A subscription: when `signal` is emitted, `task` is enqueued with the signal's payload.
 *
 * @example
 * ```ts
 * const h: SignalHandlerBinding = onSignal('payment.captured', fulfilOrder);
 * h.id; // 'payment.captured->orders.fulfil'
 * ```
 */
export interface SignalHandlerBinding {
  /** `<signal>-><task>`: the name deployment config uses to disable or re-route it. */
  readonly id: string;
  readonly signal: string;
  readonly task: TaskDefinition;
  /** Disabled handlers are wired only when deployment config enables them. */
  readonly enabled: boolean;
}

/**
 * Options of {@link onSignal}.
 *
 * @example
 * ```ts
 * onSignal('order.placed', auditOrder, { enabled: false });
 * ```
 */
export interface OnSignalOptions {
  enabled?: boolean;
}

/**
 * Subscribes a task of this extension to a signal. A signal of another extension is
 * named by its string (extensions never import each other); the handler task's own
 * payload DTO validates what arrives. A signal of this extension may be passed as the
 * definition, which also checks at compile time that the payloads fit.
 *
 * @example
 * ```ts
 * handlers: [onSignal('payment.captured', fulfilOrder), onSignal(orderPlaced, auditOrder)]
 * ```
 */
export function onSignal<T extends object>(
  signal: string,
  task: TaskDefinition<T>,
  options?: OnSignalOptions,
): SignalHandlerBinding;
export function onSignal<S extends T, T extends object>(
  signal: SignalDefinition<S>,
  task: TaskDefinition<T>,
  options?: OnSignalOptions,
): SignalHandlerBinding;
export function onSignal(
  signal: SignalDefinition | string,
  task: TaskDefinition,
  options: OnSignalOptions = {},
): SignalHandlerBinding {
  const signalName = typeof signal === 'string' ? signal : signal.name;
  return Object.freeze({
    id: `${signalName}->${task.name}`,
    signal: signalName,
    task,
    enabled: options.enabled ?? true,
  });
}
