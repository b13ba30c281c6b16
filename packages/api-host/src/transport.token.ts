/** DI token of the host's {@link TaskTransport}. */
export const TRANSPORT = Symbol('coordinator.transport');
