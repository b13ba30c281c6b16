/** DI tokens of the worker host's internals. */
export const TASK_EXECUTOR = Symbol('coordinator.task-executor');
export const WORKER_POOL = Symbol('coordinator.worker-pool');
export const TRANSPORT = Symbol('coordinator.transport');
export const DOWNSTREAM_GUARDS = Symbol('coordinator.downstream-guards');
