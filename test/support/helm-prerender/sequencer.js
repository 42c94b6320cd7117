/**
 * Jest's default order, with the test that reads the background Helm rendering last (setup.ts), so the
 * other files run while helm renders.
 */
const Sequencer = require('@jest/test-sequencer').default;

const RENDERED = /test[\\/]outputs[\\/]helm[\\/]rendered\.test\.ts$/;

class RenderedLast extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((t) => !RENDERED.test(t.path)), ...sorted.filter((t) => RENDERED.test(t.path))];
  }
}

module.exports = RenderedLast;
