// One jest run for the whole workspace. Tests are TypeScript ES modules compiled
// by @swc/jest (TypeScript 7 has no JS compiler API, so ts-jest cannot be used);
// swc keeps legacy decorators and emits `design:paramtypes` like tsc does.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    // Workspace packages resolve to their TypeScript sources so tests never run stale builds.
    '^@coordinator/core$': '<rootDir>/packages/core/src/index.ts',
    '^@coordinator/core/runtime$': '<rootDir>/packages/core/src/runtime/index.ts',
    '^@coordinator/(api-host|worker-host|testing|extension-orders|extension-payments)$':
      '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: [
    '<rootDir>/packages/*/src/**/*.spec.ts',
    '<rootDir>/test/**/*.spec.ts',
    '<rootDir>/docs/examples/**/*.spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/packages/testing/jest/global-setup.js',
  globalTeardown: '<rootDir>/packages/testing/jest/global-teardown.js',
  testTimeout: 30_000,
};
