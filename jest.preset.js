// Shared jest setup: native ESM + @swc/jest, workspace packages mapped to source so tests need no build.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: {
    '^@grantkit/([a-z-]+)/testing$': `${root}packages/$1/src/testing/index.ts`,
    '^@grantkit/([a-z-]+)/(bearer|internal)$': `${root}packages/$1/src/$2.ts`,
    '^@grantkit/([a-z-]+)$': `${root}packages/$1/src/index.ts`,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 20_000,
};
