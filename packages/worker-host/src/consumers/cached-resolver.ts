import type { HandlerResolver } from '@coordinator/core/runtime';
import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';

/**
 * Handlers are singletons (`moduleRef.get` returns only static instances), so each is looked
 * up once instead of through the module tree on every job.
 */
export function cachedResolver(moduleRef: ModuleRef): HandlerResolver {
  const handlers = new Map<Type, unknown>();
  return <T>(type: Type<T>): T => {
    if (!handlers.has(type)) handlers.set(type, moduleRef.get(type, { strict: false }));
    return handlers.get(type) as T;
  };
}
