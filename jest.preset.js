// Shared jest setup: native ESM + @swc/jest, workspace packages read from source so tests need no build.

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript sources through the `@grantkit/source` export condition,
  // so tests need no build (the same condition serves tsc and esbuild).
  testEnvironmentOptions: { customExportConditions: ['@grantkit/source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 20_000,
};
