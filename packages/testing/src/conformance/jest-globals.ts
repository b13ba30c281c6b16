import { createRequire } from 'node:module';

type JestGlobals = typeof import('@jest/globals');

/**
 * Jest's `describe`, `it`, hooks and `expect`, from `@jest/globals`. Loaded when the kit
 * is called rather than when this package is imported: `@jest/globals` throws outside a
 * Jest run, and scripts import `@coordinator/testing` for its fakes alone. Jest answers
 * this `require` itself, with the globals of the test file being collected.
 */
export function jestGlobals(): JestGlobals {
  return createRequire(import.meta.url)('@jest/globals') as JestGlobals;
}
