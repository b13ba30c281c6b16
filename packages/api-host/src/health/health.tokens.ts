/** DI token of the configured queue names (`registry.queues()`). */
export const QUEUES = Symbol('coordinator.queues');
/** DI token of the {@link WorkerDirectory} (null with the inline transport). */
export const WORKER_DIRECTORY = Symbol('coordinator.worker-directory');
