import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExtension, type Extension } from '../contract/define-extension.js';
import { ExtensionLoadError } from './extension-registry.js';

/** Splits `COORDINATOR_EXTENSIONS` (comma-separated package names or paths). */
export function parseExtensionList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Imports each specifier and returns its extension. Package names resolve from `cwd`
 * (the deployment's own `node_modules`), not from the host package, so a deployment
 * is a package that depends on the hosts and its chosen extensions. Paths resolve
 * against `cwd` too. The module's default export (or its `extension` export) must be
 * made by `defineExtension`.
 */
export async function loadExtensions(specifiers: readonly string[], cwd = process.cwd()): Promise<Extension[]> {
  if (specifiers.length === 0) {
    throw new ExtensionLoadError(['COORDINATOR_EXTENSIONS is empty: name at least one extension package or path']);
  }
  const problems: string[] = [];
  const extensions: Extension[] = [];
  const requireFromCwd = createRequire(join(resolve(cwd), 'package.json'));
  for (const specifier of specifiers) {
    let url: string;
    try {
      const isPath = specifier.startsWith('.') || isAbsolute(specifier);
      url = pathToFileURL(isPath ? resolve(cwd, specifier) : requireFromCwd.resolve(specifier)).href;
    } catch (error) {
      problems.push(
        `extension "${specifier}" cannot be resolved from ${cwd}: ${(error as Error).message.split('\n')[0]}`,
      );
      continue;
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(url)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`extension "${specifier}" failed to import: ${(error as Error).message}`);
      continue;
    }
    const candidate = module.default ?? module.extension;
    if (!isExtension(candidate)) {
      problems.push(
        `"${specifier}" does not export an extension: its default export is ${describe(candidate)}; export the result of defineExtension()`,
      );
      continue;
    }
    extensions.push(candidate);
  }
  if (problems.length) throw new ExtensionLoadError(problems);
  return extensions;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  return `a ${typeof value}`;
}
