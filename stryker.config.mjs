// StrykerJS for one library package at a time; `scripts/mutate.mjs` sets MUTATE_PACKAGE (see QUALITY.md).
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by scripts/mutate.mjs; Stryker is not a turbo task.
const pkg = process.env.MUTATE_PACKAGE;
if (!pkg) throw new Error('Run mutation testing through `pnpm mutate [package]`, which sets MUTATE_PACKAGE.');
const dir = `packages/${pkg}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // Library code only: not the tests, not the mock providers of `src/testing/` (test tooling, not product logic).
  mutate: [`${dir}/src/**/*.ts`, `!${dir}/src/**/*.test.ts`, `!${dir}/src/testing/**`],
  // The sandbox needs the library packages (siblings are mapped to their source) and the root configs.
  ignorePatterns: ['apps', 'docs', 'quality', 'reports', '**/dist', '**/.turbo', '**/coverage'],
  // Resolved here: under pnpm, Stryker cannot see its plugins from its own folder.
  plugins: [
    import.meta.resolve('@stryker-mutator/jest-runner'),
    import.meta.resolve('@stryker-mutator/typescript-checker'),
  ],
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: `${dir}/jest.config.js`, enableFindRelatedTests: false },
  // The suites run in native ESM.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  checkers: ['typescript'],
  tsconfigFile: `${dir}/tsconfig.json`,
  coverageAnalysis: 'perTest',
  // Two cores: one test runner each. Override with `pnpm mutate <package> --concurrency 1`.
  concurrency: 2,
  // A mutant that makes a request hang is detected by this timeout (added to 1.5 × the tests' own time).
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: `reports/mutation/${pkg}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${pkg}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${pkg}/mutation.json` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
