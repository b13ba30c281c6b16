/**
 * The names one extension name turns into: the package, the identifiers and the
 * namespaces its tasks and signals use.
 *
 * @example
 * ```ts
 * const names: ExtensionNames = extensionNames('gift-cards', '@acme');
 * names.packageName; // '@acme/coordinator-extension-gift-cards'
 * names.pascalName; // 'GiftCards'
 * ```
 */
export interface ExtensionNames {
  /** Lower-case letters, digits and dashes: the extension's name and its tasks' namespace. */
  readonly name: string;
  /** `GiftCards`: the prefix of the extension's class names. */
  readonly pascalName: string;
  /** `@acme`, or `''` for an unscoped package. */
  readonly scope: string;
  /** `@acme/coordinator-extension-gift-cards` or `coordinator-extension-gift-cards`. */
  readonly packageName: string;
}

// Stricter than defineExtension's rule (no leading digit, no doubled or trailing dash) so
// the name is also a clean package name segment and turns into a valid class name.
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;
const SCOPE = /^@[a-z0-9][a-z0-9._-]*$/;

/**
 * Why `name` cannot name an extension, or `undefined` when it can.
 *
 * @example
 * ```ts
 * extensionNameProblem('Loyalty'); // 'extension name "Loyalty" must be ...'
 * ```
 */
export function extensionNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) {
    return `extension name "${name}" must be lower-case letters, digits and single dashes, starting with a letter (like "loyalty" or "gift-cards")`;
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `extension name "${name}" is longer than ${MAX_NAME_LENGTH} characters`;
  }
  return undefined;
}

/**
 * Why `scope` cannot scope the package (`@acme`), or `undefined` when it can.
 *
 * @example
 * ```ts
 * scopeProblem('@acme'); // undefined
 * ```
 */
export function scopeProblem(scope: string): string | undefined {
  return SCOPE.test(scope)
    ? undefined
    : `scope "${scope}" must look like "@acme": an @ followed by lower-case letters, digits, dots, dashes or underscores`;
}

/**
 * Derives every name of an extension; throws a `TypeError` naming the problem when the
 * name or the scope is invalid.
 *
 * @example
 * ```ts
 * extensionNames('loyalty', '@acme').packageName; // '@acme/coordinator-extension-loyalty'
 * ```
 */
export function extensionNames(name: string, scope = ''): ExtensionNames {
  const problem = extensionNameProblem(name) ?? (scope === '' ? undefined : scopeProblem(scope));
  if (problem) throw new TypeError(problem);
  const pascalName = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  const unscoped = `coordinator-extension-${name}`;
  return { name, pascalName, scope, packageName: scope === '' ? unscoped : `${scope}/${unscoped}` };
}
