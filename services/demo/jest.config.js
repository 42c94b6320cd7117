/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc only strips the types; `npm test` type-checks with tsc.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  // The tests start the built services (dist/) as child processes; one file at a time keeps ports and CPU calm.
  maxWorkers: 1,
  testTimeout: 20000,
};
