import { ENVIRONMENTS } from '../../src/config/environments';
import { synthesize } from '../../src/outputs/synthesize';
import { synthAll } from '../support/synth';

describe('synthesized output', () => {
  const result = synthAll();

  test('is byte-identical across two synths', () => {
    const again = synthesize(ENVIRONMENTS);
    expect([...again.files.keys()]).toEqual([...result.files.keys()]);
    for (const [path, content] of result.files) expect(again.files.get(path)).toBe(content);
  });

  test('holds no absolute path, timestamp or hash-suffixed name', () => {
    for (const [path, content] of result.files) {
      // An absolute path starts the value (`/root/...`); `/host/root/...` is a mount inside a container.
      expect(`${path}: ${/(?<![\w.-])\/(work|home|root|tmp|Users)\//.test(content)}`).toBe(`${path}: false`);
      expect(`${path}: ${/\b20\d\d-\d\d-\d\dT\d\d:\d\d/.test(content)}`).toBe(`${path}: false`);
      expect(`${path}: ${/name: \S+-[0-9a-f]{8}\s*$/m.test(content)}`).toBe(`${path}: false`);
    }
  });
});
