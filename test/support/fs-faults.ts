/**
 * Test support for the writer: a byte-exact picture of a folder, a file system seam that fails on
 * purpose, and a way to make a path unwritable for real (chmod for ordinary users; for root, whom chmod
 * does not stop, the immutable attribute via chattr).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compareStrings } from '../../src/lib/order';
import { NODE_FS, type WriterFs } from '../../src/outputs/write';

/** Every entry under `root`: folders as "dir", files as their bytes (hex), anything else as "other". */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort(compareStrings)) {
      const path = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const s = lstatSync(path);
      if (s.isDirectory()) { out.set(r, 'dir'); walk(path, r); } else if (s.isFile()) out.set(r, readFileSync(path).toString('hex'));
      else out.set(r, 'other');
    }
  };
  try { walk(root, ''); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  return out;
}

/** Differences between two snapshots, readable in a failed expectation. */
export function snapshotDiff(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [p, v] of a) if (!b.has(p)) out.push(`gone: ${p}`); else if (b.get(p) !== v) out.push(`changed: ${p}`);
  for (const p of b.keys()) if (!a.has(p)) out.push(`new: ${p}`);
  return out.sort(compareStrings);
}

/** Writes a tree of files (relative path → content). */
export function plant(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

export const MUTATING = ['mkdir', 'writeFile', 'rename', 'remove', 'rmdir'] as const;
export type Op = (typeof MUTATING)[number];

export interface FaultPlan {
  /** 1-based index of the mutating call that fails. */
  readonly at: number;
  readonly code: string;
  /** 'once': only that call fails; 'crash': it and every later mutating call fail, as if the process had died there. */
  readonly mode: 'once' | 'crash';
}

/** A WriterFs over the real one that logs mutating calls and fails as planned. */
export function faultyFs(plan?: FaultPlan, base: WriterFs = NODE_FS): { fs: WriterFs; log: string[] } {
  const log: string[] = [];
  let n = 0;
  const gate = (op: Op, args: string[]): void => {
    n++;
    log.push(`${op} ${args.join(' -> ')}`);
    if (plan && (n === plan.at || (plan.mode === 'crash' && n > plan.at))) {
      const e = new Error(`${plan.code}: injected failure, ${op} '${args.join("' -> '")}'`) as NodeJS.ErrnoException;
      e.code = plan.code;
      throw e;
    }
  };
  const fs: WriterFs = {
    kind: (p) => base.kind(p),
    readdir: (p) => base.readdir(p),
    readFile: (p) => base.readFile(p),
    sameContent: (p, c) => base.sameContent(p, c),
    mkdir: (p) => { gate('mkdir', [p]); base.mkdir(p); },
    writeFile: (p, c) => { gate('writeFile', [p]); base.writeFile(p, c); },
    rename: (a, b) => { gate('rename', [a, b]); base.rename(a, b); },
    remove: (p) => { gate('remove', [p]); base.remove(p); },
    rmdir: (p) => { gate('rmdir', [p]); base.rmdir(p); },
  };
  return { fs, log };
}

/**
 * Makes `path` refuse changes for real and returns the undo, or a reason why it cannot here. Root ignores
 * permission bits, so as root this sets the immutable attribute (chattr +i: no entry of a folder can be
 * added, removed or renamed, and the folder itself cannot be moved); otherwise it removes write permission.
 * Either way it checks that a change is really refused before returning.
 */
export function lockDown(path: string, probe: () => void): { undo: () => void } | { skip: string } {
  const root = process.getuid?.() === 0;
  let undo: () => void;
  try {
    if (root) {
      execFileSync('chattr', ['+i', path], { stdio: 'pipe' });
      undo = () => execFileSync('chattr', ['-i', path], { stdio: 'pipe' });
    } else {
      const mode = lstatSync(path).mode & 0o7777;
      chmodSync(path, 0o555);
      undo = () => chmodSync(path, mode);
    }
  } catch (e) {
    return { skip: `${root ? 'chattr +i' : 'chmod'} is not available here: ${(e as Error).message.split('\n')[0]}` };
  }
  try {
    probe();
  } catch {
    return { undo };
  }
  undo();
  return { skip: `${root ? 'chattr +i' : 'chmod 0555'} did not stop a change to ${path} on this file system` };
}

/** Removes a test folder even when a test failed with part of it locked down. */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    if (process.getuid?.() === 0) execFileSync('chattr', ['-R', '-i', path], { stdio: 'pipe' });
    rmSync(path, { recursive: true, force: true });
  }
}
