import type { BullMqTransport, ExtensionRegistry } from '@coordinator/core/runtime';

/** What the admin routes read: the loaded extensions' queues on the BullMQ transport. */
export interface AdminSources {
  registry: ExtensionRegistry;
  transport: BullMqTransport;
}

/** DI token of the {@link AdminSources}. */
export const ADMIN_SOURCES = Symbol('coordinator.admin-sources');
