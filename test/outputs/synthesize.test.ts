import { synthAll } from '../support/synth';

// Two synths giving the same bytes: test/verification/determinism.test.ts.
describe('synthesized output', () => {
  const result = synthAll();

  test('holds no absolute path, timestamp or hash-suffixed name', () => {
    for (const [path, content] of result.files) {
      // An absolute path starts the value (`/root/...`); `/host/root/...` is a mount inside a container.
      expect(`${path}: ${/(?<![\w.-])\/(work|home|root|tmp|Users)\//.test(content)}`).toBe(`${path}: false`);
      expect(`${path}: ${/\b20\d\d-\d\d-\d\dT\d\d:\d\d/.test(content)}`).toBe(`${path}: false`);
      expect(`${path}: ${/name: \S+-[0-9a-f]{8}\s*$/m.test(content)}`).toBe(`${path}: false`);
    }
  });
});
