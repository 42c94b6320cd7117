/**
 * Jest's default order, except two files that wait for work running beside them: the package test
 * (test/package.test.ts packs the library the type-check of `npm test` emits) halfway through, when that
 * type-check is usually done, instead of first (jest's default for its slowest file), where a worker sat
 * idle until tsc finished; and the test that reads the background Helm rendering last (setup.ts), so the
 * other files run while helm renders.
 */
const Sequencer = require('@jest/test-sequencer').default;

const PACKAGE = /test[\\/]package\.test\.ts$/;
const RENDERED = /test[\\/]outputs[\\/]helm[\\/]rendered\.test\.ts$/;

class Sequence extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rest = sorted.filter((t) => !PACKAGE.test(t.path) && !RENDERED.test(t.path));
    const half = Math.floor(rest.length / 2);
    return [...rest.slice(0, half), ...sorted.filter((t) => PACKAGE.test(t.path)), ...rest.slice(half), ...sorted.filter((t) => RENDERED.test(t.path))];
  }
}

module.exports = Sequence;
