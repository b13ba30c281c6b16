import { isExtension, type Extension } from '@coordinator/core';

/**
 * Problems with the samples given for an extension: every task needs one (it is how
 * the task is run), each must be an object, and none may name a task the extension
 * does not define (a typo would leave the real task untested).
 *
 * @example
 * ```ts
 * checkSamples(orders, {}); // ['task "orders.submit" has no sample: add samples["orders.submit"]', …]
 * ```
 */
export function checkSamples(extension: Extension, samples: Readonly<Record<string, unknown>>): string[] {
  if (!isExtension(extension)) return [];
  const problems: string[] = [];
  const names = new Set(extension.tasks.map((task) => task.name));
  for (const name of names) {
    const sample = Object.hasOwn(samples, name) ? samples[name] : undefined;
    if (sample === undefined) problems.push(`task "${name}" has no sample: add samples["${name}"]`);
    else if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
      problems.push(`the sample of task "${name}" must be a plain object`);
    }
  }
  for (const name of Object.keys(samples)) {
    if (!names.has(name)) problems.push(`samples["${name}"] names no task of extension "${extension.name}"`);
  }
  return problems;
}
