import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedOutput, writeTree } from '../../src/outputs/write';
import { synthAll } from '../support/synth';

// Two synths giving the same bytes: test/verification/determinism.test.ts.
describe('synthesized output', () => {
  const result = synthAll();

  test.each([...synthAll().files.keys()].sort())('%s matches its snapshot', (path) => {
    expect(result.files.get(path)).toMatchSnapshot();
  });

  test('holds no absolute path, timestamp or hash-suffixed name', () => {
    for (const [path, content] of result.files) {
      expect(`${path}: ${/\/(work|home|root|tmp|Users)\//.test(content)}`).toBe(`${path}: false`);
      expect(`${path}: ${/\b20\d\d-\d\d-\d\dT\d\d:\d\d/.test(content)}`).toBe(`${path}: false`);
      expect(`${path}: ${/name: \S+-[0-9a-f]{8}\s*$/m.test(content)}`).toBe(`${path}: false`);
    }
  });
});

describe('writeTree', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'obs-stack-write-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('replaces the environments it writes and prunes stale ones on a full synth', () => {
    mkdirSync(join(dir, 'old-env'), { recursive: true });
    writeFileSync(join(dir, 'old-env', 'x.yaml'), 'x');
    writeTree(dir, new Map([['dev/manifests/a.yaml', 'a']]), ['dev'], true);
    expect(readdirSync(dir)).toEqual(['dev']);
    expect(readFileSync(join(dir, 'dev/manifests/a.yaml'), 'utf8')).toBe('a');
  });

  test('leaves other environments alone when writing one', () => {
    writeTree(dir, new Map([['dev/a.yaml', '1'], ['prod/a.yaml', '2']]), ['dev', 'prod'], true);
    writeTree(dir, new Map([['prod/b.yaml', '3']]), ['prod'], false);
    expect(readFileSync(join(dir, 'dev/a.yaml'), 'utf8')).toBe('1');
    expect(existsSync(join(dir, 'prod/a.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'prod/b.yaml'), 'utf8')).toBe('3');
  });

  test('fails before touching the output when a file falls outside its scope', () => {
    writeTree(dir, new Map([['dev/a.yaml', '1']]), ['dev'], true);
    expect(() => writeTree(dir, new Map([['dev/a.yaml', '2'], ['../escape.yaml', 'x']]), ['dev'], true)).toThrow(/outside the synthesized scope/);
    expect(readFileSync(join(dir, 'dev/a.yaml'), 'utf8')).toBe('1');
    expect(readdirSync(dir)).toEqual(['dev']);
  });

  test('refuses a path that would leave the staging folder, before writing it', () => {
    const staged = new StagedOutput(dir);
    for (const bad of ['../escape.yaml', 'dev/../../x.yaml', '/abs.yaml', '.hidden/a.yaml', 'dev//a.yaml']) {
      expect(() => staged.add(bad, 'x')).toThrow(/outside the synthesized scope/);
    }
    staged.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
