import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CORE_VERSION } from '../contract/core-version.js';
import { extensionNames, type ExtensionNames } from './extension-name.js';
import { EXTENSION_TEMPLATE_DIR, renderTemplate } from './template-files.js';

/**
 * Options of {@link newExtension}.
 *
 * @example
 * ```ts
 * const options: NewExtensionOptions = { name: 'loyalty', scope: '@acme', dir: 'extension-loyalty' };
 * ```
 */
export interface NewExtensionOptions {
  /** Lower-case letters, digits and dashes: `loyalty`, `gift-cards`. */
  name: string;
  /** npm scope of the package, like `@acme`; none by default. */
  scope?: string;
  /** Where to write the package; `coordinator-extension-<name>` by default. Must be missing or empty. */
  dir?: string;
  /** What `dir` is relative to; the process's working directory by default. */
  cwd?: string;
  /** Called with each file's absolute path right after it is written. */
  onFile?: (path: string) => void;
}

/**
 * What {@link newExtension} wrote.
 *
 * @example
 * ```ts
 * const { dir, files } = newExtension({ name: 'loyalty' });
 * ```
 */
export interface NewExtensionResult {
  /** Absolute path of the new package. */
  readonly dir: string;
  readonly names: ExtensionNames;
  /** The files written, relative to `dir`, `/`-separated and sorted. */
  readonly files: readonly string[];
}

/**
 * The target directory holds files already: nothing was written.
 *
 * @example
 * ```ts
 * try { newExtension({ name: 'loyalty', dir: '.' }); } catch (e) { if (e instanceof TargetNotEmptyError) ... }
 * ```
 */
export class TargetNotEmptyError extends Error {
  override readonly name = 'TargetNotEmptyError';
}

/**
 * Writes a standalone extension package, ready for `npm install && npm test`: one
 * endpoint that dispatches a task, the task with its validated payload, the signal it
 * emits and a handler task subscribed to it, tests in inline and Redis mode, and the
 * build, test and release set-up. Every `@coordinator/*` version in it is this core's.
 *
 * @example
 * ```ts
 * newExtension({ name: 'loyalty', scope: '@acme', dir: 'extension-loyalty', onFile: console.log });
 * ```
 */
export function newExtension(options: NewExtensionOptions): NewExtensionResult {
  const names = extensionNames(options.name, options.scope ?? '');
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? `coordinator-extension-${names.name}`);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new TargetNotEmptyError(`${dir} exists and is not a directory`);
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      throw new TargetNotEmptyError(
        `${dir} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}): nothing was written; choose another --dir or empty it first`,
      );
    }
  }
  // Render everything before writing anything, so a broken template leaves no half package behind.
  const files = renderTemplate(EXTENSION_TEMPLATE_DIR, {
    name: names.name,
    Name: names.pascalName,
    packageName: names.packageName,
    coreVersion: CORE_VERSION,
    // npm refuses `--access restricted` for unscoped packages.
    changesetAccess: names.scope === '' ? 'public' : 'restricted',
  });
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { flag: 'wx' });
    options.onFile?.(path);
  }
  return { dir, names, files: files.map((f) => f.path) };
}
