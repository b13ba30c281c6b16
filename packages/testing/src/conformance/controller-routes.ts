import { listControllerRoutes } from '@coordinator/core/runtime';
import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';

export { listControllerRoutes, type ControllerRoute } from '@coordinator/core/runtime';

/**
 * Problems with an extension's controllers: each must be a Nest controller
 * (`@Controller()`), and no two routes may share a method and path (the API host would
 * refuse to start).
 *
 * @example
 * ```ts
 * expect(checkControllerRoutes(orders.controllers)).toEqual([]);
 * ```
 */
export function checkControllerRoutes(controllers: readonly Type[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const controller of controllers) {
    if (Reflect.getMetadata(PATH_METADATA, controller) === undefined) {
      problems.push(`${controller.name} is listed in controllers but is not decorated with @Controller()`);
      continue;
    }
    for (const route of listControllerRoutes(controller)) {
      const key = `${route.method} ${route.path}`;
      const here = `${route.controller}.${route.handler}`;
      const owner = owners.get(key);
      if (owner) problems.push(`${key} is declared by both ${owner} and ${here}`);
      else owners.set(key, here);
    }
  }
  return problems;
}
