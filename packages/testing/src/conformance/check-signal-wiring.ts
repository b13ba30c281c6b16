import { isExtension, type Extension } from '@coordinator/core';
import { ExtensionLoadError, ExtensionRegistry } from '@coordinator/core/runtime';

/**
 * Problems with how an extension's handlers meet the signals: each must listen to a
 * signal that the extension or one of its partners defines, and the registry the hosts
 * build from `[extension, ...partners]` must load (which also requires every
 * non-optional signal to have a handler).
 *
 * @example
 * ```ts
 * expect(checkSignalWiring(orders, [paymentsStandIn])).toEqual([]);
 * ```
 */
export function checkSignalWiring(extension: Extension, partners: readonly Extension[] = []): string[] {
  if (!isExtension(extension)) return [];
  const problems: string[] = [];
  const defined = new Set([extension, ...partners].flatMap((e) => e.signals.map((signal) => signal.name)));
  for (const handler of extension.handlers) {
    if (!defined.has(handler.signal)) {
      problems.push(
        `handler "${handler.id}" listens to signal "${handler.signal}", which neither "${extension.name}" nor its partners define`,
      );
    }
  }
  try {
    new ExtensionRegistry([extension, ...partners]);
  } catch (error) {
    if (!(error instanceof ExtensionLoadError)) throw error;
    problems.push(...error.problems.map((problem) => `the registry refuses to load: ${problem}`));
  }
  return problems;
}
