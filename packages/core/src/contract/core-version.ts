import { createRequire } from 'node:module';

/**
 * The version of this `@coordinator/core`, which extensions declare a range against
 * (`coreRange`). Read from the package itself, so it cannot drift from the release.
 *
 * @example
 * ```ts
 * console.log(`running @coordinator/core ${CORE_VERSION}`);
 * ```
 */
export const CORE_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;
