/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc only strips the types (`npm test` type-checks with tsc). `lazy` requires a package on first use,
  // so a test file loads only the libraries its code paths touch.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs', lazy: true } }],
  },
  // One synth per run shared by every test file (test/support/run-cache.ts), and the Helm path rendered in
  // the background while the other files run (test/support/helm-prerender/).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testSequencer: '<rootDir>/test/support/helm-prerender/sequencer.js',
  // Jest's runtime, with each module's compiled code shared by the test files of a worker (see the file).
  runtime: '<rootDir>/test/support/jest-runtime.js',
};
