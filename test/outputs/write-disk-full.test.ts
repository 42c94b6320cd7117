/**
 * A real full disk: the writer runs on a tmpfs too small for the new output's staging copy, mounted in a
 * private mount namespace (`unshare`), so nothing outside this test sees it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function inSmallTmpfs(folder: string): ReturnType<typeof spawnSync> {
  const ns = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
  return spawnSync('unshare', [...ns, '--propagation', 'private', 'sh', '-c',
    'mount -t tmpfs -o size=1000k tmpfs "$1" && exec "$2" "$3" "$1"', 'sh', folder, TSX, join(ROOT, 'test', 'support', 'enospc-child.ts')],
  { encoding: 'utf8', timeout: 120_000 });
}

test('a disk that fills up while the new output is staged: ENOSPC, previous tree byte-identical, no leftovers, a truthful message', () => {
  const folder = mkdtempSync(join(tmpdir(), 'obs-stack-enospc-'));
  try {
    const r = inSmallTmpfs(folder);
    if (r.status !== 0 && /unshare|mount/.test(String(r.stderr))) {
      if (process.env.CI === 'true') throw new Error(`cannot mount a tmpfs in a private namespace here: ${r.stderr}`);
      console.warn(`SKIPPED (cannot mount a tmpfs in a private namespace here: ${String(r.stderr).trim()})`);
      return;
    }
    expect(r.stderr).toBe('');
    const result = JSON.parse(String(r.stdout));
    expect(result.state).toBe('untouched');
    expect(result.message).toMatch(/^could not write the new output \(writing [^)]+\): ENOSPC: no space left on device/);
    expect(result.message).toMatch(/Nothing in ".*" was changed: the previous output is as it was\.$/);
    expect(result.diff).toEqual([]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
