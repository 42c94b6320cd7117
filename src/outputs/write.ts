/**
 * Writes synthesized files so that nothing half-written ever lands in the output folder: files go into a
 * staging folder beside the target as they are rendered, and are swapped in with renames only once every
 * environment has been synthesized. A failed synth discards the staging folder.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The output folder being replaced, one file at a time, until `commit` (or `discard`). */
export class StagedOutput {
  private readonly staging: string;
  private readonly tops = new Set<string>();
  private createdOutDir = false;
  private started = false;
  private count = 0;

  constructor(private readonly outDir: string) {
    this.staging = join(outDir, `.staging-${process.pid}`);
  }

  /** Files staged so far. */
  get files(): number {
    return this.count;
  }

  /** Stages one file (`rel` relative to the output folder, `/`-separated). */
  add(rel: string, content: string): void {
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..') || parts[0].startsWith('.')) {
      throw new Error(`internal: ${rel} is outside the synthesized scope (not a plain relative path)`);
    }
    if (!this.started) {
      this.createdOutDir = !existsSync(this.outDir);
      mkdirSync(this.outDir, { recursive: true });
      rmSync(this.staging, { recursive: true, force: true });
      this.started = true;
    }
    const path = join(this.staging, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    this.tops.add(parts[0]);
    this.count++;
  }

  /**
   * Replaces the top-level entries `scope` of the output folder with what was staged. Entries outside
   * `scope` are left alone; with `pruneOthers`, they are removed (a full synth drops environments that no
   * longer exist). Fails before touching the output folder when a staged file lies outside `scope`.
   */
  commit(scope: readonly string[], pruneOthers: boolean): void {
    const outside = [...this.tops].filter((t) => !scope.includes(t));
    if (outside.length > 0) throw new Error(`internal: ${outside.join(', ')} is outside the synthesized scope (${scope.join(', ')})`);
    mkdirSync(this.outDir, { recursive: true });
    for (const top of scope) {
      const target = join(this.outDir, top);
      const old = join(this.outDir, `.old-${process.pid}-${top}`);
      if (existsSync(target)) renameSync(target, old);
      if (existsSync(join(this.staging, top))) renameSync(join(this.staging, top), target);
      rmSync(old, { recursive: true, force: true });
    }
    if (pruneOthers) {
      for (const entry of readdirSync(this.outDir)) {
        if (!scope.includes(entry) && !entry.startsWith('.staging-')) rmSync(join(this.outDir, entry), { recursive: true, force: true });
      }
    }
    rmSync(this.staging, { recursive: true, force: true });
    this.createdOutDir = false;
  }

  /** Drops whatever is still staged (after `commit`, nothing); an output folder created for it goes too. */
  discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
    if (this.createdOutDir) {
      try { rmdirSync(this.outDir); } catch { /* not empty: someone else wrote there meanwhile */ }
    }
  }
}

/**
 * Replaces the top-level entries `scope` of `outDir` with the given files (paths relative to `outDir`,
 * each starting with one of the scope entries), as StagedOutput does.
 */
export function writeTree(outDir: string, files: ReadonlyMap<string, string>, scope: readonly string[], pruneOthers: boolean): void {
  for (const rel of files.keys()) {
    if (!scope.includes(rel.split('/')[0])) throw new Error(`internal: ${rel} is outside the synthesized scope (${scope.join(', ')})`);
  }
  const out = new StagedOutput(outDir);
  try {
    for (const [rel, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.add(rel, content);
    out.commit(scope, pruneOthers);
  } finally {
    out.discard();
  }
}
