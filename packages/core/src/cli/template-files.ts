import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The extension template shipped with this package (`templates/extension/`). The path is
 * the same from the sources (`src/cli/`) and from the build (`dist/cli/`).
 */
export const EXTENSION_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/extension/', import.meta.url));

/**
 * One file of a rendered template.
 *
 * @example
 * ```ts
 * const file: RenderedFile = { path: 'src/index.ts', content: 'export {};\n' };
 * ```
 */
export interface RenderedFile {
  /** Relative to the target directory, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

const TEMPLATE_SUFFIX = '.tpl';
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * Renders every file under `templateDir`, sorted by path.
 *
 * Template files end in `.tpl` so that no tool of this repository (tsc, eslint, prettier,
 * jest) mistakes them for its own files, and the suffix is dropped. A path segment
 * starting with `_` starts with `.` once rendered (`_gitignore` → `.gitignore`), because
 * package managers leave dotfiles like `.gitignore` out of tarballs. `{{key}}` in paths
 * and contents is replaced by `values[key]`; an unknown key is an error, so a typo in a
 * template cannot reach a generated package.
 *
 * @example
 * ```ts
 * renderTemplate(EXTENSION_TEMPLATE_DIR, { name: 'loyalty', ... }).map((f) => f.path);
 * ```
 */
export function renderTemplate(templateDir: string, values: Readonly<Record<string, string>>): RenderedFile[] {
  return listFiles(templateDir)
    .filter((path) => path.endsWith(TEMPLATE_SUFFIX))
    .map((templatePath) => {
      const path = templatePath
        .slice(0, -TEMPLATE_SUFFIX.length)
        .split('/')
        .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
        .join('/');
      return {
        path: fill(path, values, templatePath),
        content: fill(readFileSync(join(templateDir, templatePath), 'utf8'), values, templatePath),
      };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function fill(text: string, values: Readonly<Record<string, string>>, templatePath: string): string {
  return text.replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${templatePath} uses an unknown placeholder {{${key}}}`);
    return value;
  });
}

/** Every file below `dir`, as sorted `/`-separated relative paths. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory() ? listFiles(dir, path) : [path];
    });
}
