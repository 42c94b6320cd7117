/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  // The Helm path is rendered in the background while the other files run (test/support/helm-prerender/).
  globalSetup: '<rootDir>/test/support/helm-prerender/setup.ts',
  globalTeardown: '<rootDir>/test/support/helm-prerender/teardown.ts',
  testSequencer: '<rootDir>/test/support/helm-prerender/sequencer.js',
};
