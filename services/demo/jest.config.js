/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  // The tests start the built services (dist/) as child processes; one file at a time keeps ports and CPU calm.
  maxWorkers: 1,
  testTimeout: 20000,
};
