/**
 * Writes synthesized files so that nothing half-written ever lands in the output folder: everything is
 * rendered in memory first, written into a staging folder beside the target, and swapped in with renames.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Replaces the top-level entries `scope` of `outDir` with the given files (paths relative to `outDir`,
 * each starting with one of the scope entries). Entries of `outDir` outside `scope` are left alone;
 * with `pruneOthers`, entries not in `scope` are removed (a full synth drops environments that no
 * longer exist).
 */
export function writeTree(outDir: string, files: ReadonlyMap<string, string>, scope: readonly string[], pruneOthers: boolean): void {
  mkdirSync(outDir, { recursive: true });
  const staging = join(outDir, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [rel, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const top = rel.split('/')[0];
      if (!scope.includes(top)) throw new Error(`internal: ${rel} is outside the synthesized scope (${scope.join(', ')})`);
      const path = join(staging, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    for (const top of scope) {
      const target = join(outDir, top);
      const old = join(outDir, `.old-${process.pid}-${top}`);
      if (existsSync(target)) renameSync(target, old);
      if (existsSync(join(staging, top))) renameSync(join(staging, top), target);
      rmSync(old, { recursive: true, force: true });
    }
    if (pruneOthers) {
      for (const entry of readdirSync(outDir)) {
        if (!scope.includes(entry) && !entry.startsWith('.staging-')) rmSync(join(outDir, entry), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
