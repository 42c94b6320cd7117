/**
 * The compiled synth's staleness check (scripts/build.js) on a small project of its own: the fingerprint
 * follows every input, and ensureBuilt rebuilds exactly when it changed, so a stale build never runs.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const build = require('../../scripts/build.js') as typeof import('../../scripts/build.js');
const { fingerprint } = build;
const ensureBuilt = (dir: string): string => build.ensureBuilt(dir, () => undefined);

let root: string;

/** Sets every file's times an hour back: older than statPrint's two-second window. */
function age(dir = root): void {
  const hourAgo = new Date(Date.now() - 3600_000);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) age(p);
    else utimesSync(p, hourAgo, hourAgo);
  }
}

function write(rel: string, content: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'obs-stack-build-'));
  write('src/main.ts', "import { MARK } from './mark';\nexport function main(): string { return MARK; }\n");
  write('src/mark.ts', "export const MARK = 'first-version';\n");
  write('imports/k8s.ts', 'export {};\n');
  write('package.json', '{"name":"t","private":true}\n');
  write('tsconfig.json', '{}\n');
  write('node_modules/.package-lock.json', '{"packages":{}}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('fingerprint', () => {
  test('changes with the content of a source, an added or removed file, the config and the installed packages', () => {
    const seen = new Set([fingerprint(root)]);
    const changed = (what: string, edit: () => void): void => {
      edit();
      const fp = fingerprint(root);
      expect(`${what}: ${seen.has(fp) ? 'unchanged' : 'changed'}`).toBe(`${what}: changed`);
      seen.add(fp);
    };
    changed('a source edited', () => write('src/mark.ts', "export const MARK = 'second-version';\n"));
    changed('a file added under src/', () => write('src/extra.ts', 'export {};\n'));
    changed('a file under imports/ edited', () => write('imports/k8s.ts', 'export const x = 1;\n'));
    changed('a file renamed', () => { rmSync(join(root, 'src/extra.ts')); write('src/extra2.ts', 'export {};\n'); });
    changed('package.json', () => write('package.json', '{"name":"t","private":true,"x":1}\n'));
    changed('tsconfig.json', () => write('tsconfig.json', '{"compilerOptions":{}}\n'));
    changed('a package installed', () => write('node_modules/.package-lock.json', '{"packages":{"node_modules/a":{}}}\n'));
  });

  test('does not depend on file times', () => {
    const before = fingerprint(root);
    utimesSync(join(root, 'src/mark.ts'), new Date(0), new Date(0));
    expect(fingerprint(root)).toBe(before);
  });
});

describe('ensureBuilt', () => {
  test('builds when there is no build, keeps a current one, rebuilds after an edit or a damaged bundle', () => {
    const bundle = ensureBuilt(root);
    expect(readFileSync(bundle, 'utf8')).toContain('first-version');
    const built = statSync(bundle).mtimeMs;

    // Nothing changed: the same file is used as is.
    expect(ensureBuilt(root)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);

    // An edit with the same length and an old file time is still seen (content, not times).
    write('src/mark.ts', "export const MARK = 'secnd-version';\n");
    utimesSync(join(root, 'src/mark.ts'), new Date(0), new Date(0));
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('secnd-version');

    // A bundle that is not the one recorded (cut short, or edited by hand) is rebuilt.
    truncateSync(bundle, 10);
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('secnd-version');
    appendFileSync(bundle, '\n// edited\n');
    expect(readFileSync(ensureBuilt(root), 'utf8')).not.toContain('// edited');
  });

  test('a touched input with the same content keeps the build and takes the new time into the stamp', () => {
    age();
    const bundle = ensureBuilt(root);
    const built = statSync(bundle).mtimeMs;
    const stamp = (): { fingerprint: string; stat?: string } => JSON.parse(readFileSync(join(root, 'build', 'synth.stamp.json'), 'utf8'));
    const before = stamp();
    expect(before.stat).toBe(build.statPrint(root));
    utimesSync(join(root, 'src/mark.ts'), new Date(1000), new Date(1000));
    expect(ensureBuilt(root)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);
    expect(stamp().fingerprint).toBe(before.fingerprint);
    expect(stamp().stat).not.toBe(before.stat);
    expect(stamp().stat).toBe(build.statPrint(root));
  });

  test('inputs changed in the last two seconds are compared by content, whatever their times say', () => {
    // Written just now: the build records no sizes and times.
    const bundle = ensureBuilt(root);
    expect(build.statPrint(root)).toBeUndefined();
    expect(JSON.parse(readFileSync(join(root, 'build', 'synth.stamp.json'), 'utf8')).stat).toBeUndefined();
    // A same-size edit that keeps the file's time, as a file system with whole-second times does within a second.
    const { atime, mtime } = statSync(join(root, 'src/mark.ts'));
    write('src/mark.ts', "export const MARK = 'secnd-version';\n");
    utimesSync(join(root, 'src/mark.ts'), atime, mtime);
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('secnd-version');
    expect(ensureBuilt(root)).toBe(bundle);
  });

  test('records whether the bundle is ASCII, which is then read as Latin-1', () => {
    const ascii = (): boolean => JSON.parse(readFileSync(join(root, 'build', 'synth.stamp.json'), 'utf8')).ascii;
    // esbuild escapes non-ASCII characters in strings...
    write('src/mark.ts', "export const MARK = 'gr\u00fc\u00dfe \u00b5s';\n");
    expect(/[^\x00-\x7f]/.test(readFileSync(ensureBuilt(root), 'latin1'))).toBe(false);
    expect(ascii()).toBe(true);
    // ...but not in regular expressions: that bundle is read as UTF-8.
    write('src/mark.ts', "export const MARK = /\u03bcs/.source;\n");
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('\u03bcs');
    expect(ascii()).toBe(false);
  });
});
