import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../access/principal.js';

/*
 * Who the code running now acts for: the API host runs each request's handler as its
 * principal, and the worker runs each task as the owner of its job, so follow-ups and signal
 * handlers inherit the owner without extensions passing it.
 *
 * One store for both: on Node 20 every AsyncLocalStorage in use adds its own work to every
 * promise created (≈ 65 ns each, ≈ 110 promises per `POST /orders`), so the principal does not
 * get a store of its own.
 */
interface Caller {
  readonly owner: string | undefined;
  readonly principal?: Principal;
}

const callers = new AsyncLocalStorage<Caller>();

/**
 * Runs `fn` with `owner` as the owner of every task it dispatches, and as no principal (also
 * when called inside {@link runAsPrincipal}).
 *
 * @example
 * ```ts
 * runAsOwner(job.owner, () => handler.run(payload, ctx));
 * ```
 */
export function runAsOwner<T>(owner: string | undefined, fn: () => T): T {
  return callers.run({ owner }, fn);
}

/**
 * Runs `fn` as `principal`: it owns every task `fn` dispatches (as with {@link runAsOwner}), and
 * {@link actingPrincipal} returns it, for checks below the controllers.
 *
 * @example
 * ```ts
 * runAsPrincipal(request.principal, done);
 * ```
 */
export function runAsPrincipal<T>(principal: Principal | undefined, fn: () => T): T {
  return callers.run({ owner: principal?.id, principal }, fn);
}

/** The owner of tasks dispatched now, if any. */
export function currentOwner(): string | undefined {
  return callers.getStore()?.owner;
}

/** The principal the code running now acts for, inside {@link runAsPrincipal}. */
export function actingPrincipal(): Principal | undefined {
  return callers.getStore()?.principal;
}
