import {
  CONTRACT_VERSION,
  CORE_VERSION,
  isExtension,
  isSignalDefinition,
  isTaskDefinition,
  type Extension,
} from '@coordinator/core';
import { ExtensionLoadError, ExtensionRegistry } from '@coordinator/core/runtime';

/**
 * Options of {@link checkContract}.
 *
 * @example
 * ```ts
 * checkContract(orders, { coreVersion: '2.0.0' }); // would a 2.0.0 core accept it?
 * ```
 */
export interface ContractCheckOptions {
  /** The core the extension's `coreRange` must include; this `@coordinator/core` by default. */
  coreVersion?: string;
}

const EXTENSION_NAME = /^[a-z][a-z0-9-]*$/;
const SEGMENT = '[a-z][a-z0-9-]*';
/** `<subject>.<event>`, more segments allowed, as `defineSignal` accepts them. */
const SIGNAL_NAME = new RegExp(`^${SEGMENT}(\\.${SEGMENT})+$`);

/**
 * Problems with what the hosts read first: the brand and contract version, the names
 * of tasks (`<extension>.<task>`), signals (`<subject>.<event>`), pipelines and steps
 * (namespaced and unique within the extension), and whether the declared `coreRange`
 * includes this core. An empty list means it conforms.
 *
 * @example
 * ```ts
 * expect(checkContract(orders)).toEqual([]);
 * ```
 */
export function checkContract(extension: Extension, options: ContractCheckOptions = {}): string[] {
  if (!isExtension(extension)) {
    return ['the export is not an extension: make it with defineExtension() from @coordinator/core'];
  }
  const problems: string[] = [];
  const name = extension.name;
  if (extension.contractVersion !== CONTRACT_VERSION) {
    problems.push(
      `extension "${name}" was built for extension contract ${extension.contractVersion}; this core speaks contract ${CONTRACT_VERSION}`,
    );
  }
  if (!EXTENSION_NAME.test(name))
    problems.push(`extension name "${name}" must be lower-case letters, digits and dashes`);

  const ownName = new RegExp(`^${escapeRegExp(name)}(\\.${SEGMENT})+$`);
  for (const task of extension.tasks) {
    if (!isTaskDefinition(task)) problems.push(`a task of "${name}" was not made by defineTask()`);
    else if (!ownName.test(task.name)) problems.push(`task "${task.name}" is not namespaced: name it "${name}.<task>"`);
  }
  for (const signal of extension.signals) {
    if (!isSignalDefinition(signal)) problems.push(`a signal of "${name}" was not made by defineSignal()`);
    else if (!SIGNAL_NAME.test(signal.name)) {
      problems.push(`signal "${signal.name}" is not namespaced: name it "<subject>.<event>", like "order.placed"`);
    }
  }
  for (const pipeline of extension.pipelines) {
    if (!ownName.test(pipeline.name)) {
      problems.push(`pipeline "${pipeline.name}" is not namespaced: name it "${name}.<pipeline>"`);
    }
  }
  for (const step of extension.pipelineSteps) {
    if (!ownName.test(step.name))
      problems.push(`pipeline step "${step.name}" is not namespaced: name it "${name}.<step>"`);
  }
  problems.push(
    ...duplicates('task', extension.tasks),
    ...duplicates('signal', extension.signals),
    ...duplicates('pipeline', extension.pipelines),
    ...duplicates('pipeline step', extension.pipelineSteps),
  );
  problems.push(...coreRangeProblems(extension, options.coreVersion ?? CORE_VERSION));
  return problems;
}

function duplicates(kind: string, items: readonly { name: string }[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { name } of items) (seen.has(name) ? twice : seen).add(name);
  return [...twice].map((name) => `${kind} "${name}" is listed more than once`);
}

/**
 * Asks the registry itself, so the rule is exactly the one the hosts apply (prerelease
 * cores included). Only the extension's identity is loaded: its wiring needs partners
 * and is checked by `checkSignalWiring`.
 */
function coreRangeProblems(extension: Extension, coreVersion: string): string[] {
  if (extension.coreRange === undefined || extension.contractVersion !== CONTRACT_VERSION) return [];
  const bare: Extension = { ...extension, tasks: [], signals: [], handlers: [], pipelines: [], pipelineSteps: [] };
  try {
    new ExtensionRegistry([bare], {}, {}, { coreVersion });
    return [];
  } catch (error) {
    if (error instanceof ExtensionLoadError) return [...error.problems];
    throw error;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
