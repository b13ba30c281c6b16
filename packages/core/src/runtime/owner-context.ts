import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Who owns the tasks dispatched from the code running now: the API host runs each
 * request's handler as its principal, and the worker runs each task as the owner of its
 * job, so follow-ups and signal handlers inherit the owner without extensions passing it.
 */
const owners = new AsyncLocalStorage<string | undefined>();

/**
 * Runs `fn` with `owner` as the owner of every task it dispatches.
 *
 * @example
 * ```ts
 * runAsOwner(principal.id, () => next.handle());
 * ```
 */
export function runAsOwner<T>(owner: string | undefined, fn: () => T): T {
  return owners.run(owner, fn);
}

/** The owner of tasks dispatched now, if any. */
export function currentOwner(): string | undefined {
  return owners.getStore();
}
