/**
 * What obs-stack may write into and what it owns there. An output folder holds only files synth wrote,
 * listed in its ownership record (`.obs-stack-manifest.json`); synth refuses a folder that holds anything
 * else, and refuses folders that are plainly the wrong place (the current folder, a repository root, the
 * project's sources, the home folder, `/`).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { compareStrings } from '../lib/order';
import { quote } from '../lib/quote';
import type { WriterFs } from './write';

/** The ownership record, in the output folder's root. Committed with the output. */
export const MANIFEST_FILE = '.obs-stack-manifest.json';
/** The folder a write works in (lock, staging, journal, the previous copies); it exists only while synth runs. */
export const TXN_DIR = '.obs-stack-txn';

/** Refusals and failures of the writer. `state` says truthfully what the output folder looks like now. */
export class OutputError extends Error {
  constructor(message: string, readonly state: 'untouched' | 'restored' | 'written' | 'partial') {
    super(message);
    this.name = 'OutputError';
  }
}

/** How a path shows in messages: the output folder as given, then the path inside it. */
export function showPath(out: string, rel?: string): string {
  return quote(rel === undefined ? out : `${out.replace(/\/+$/, '')}/${rel}`);
}

/** Folders of the obs-stack project that hold its sources, tools or history: never an output folder. */
const PROJECT_FOLDERS = ['src', 'test', 'scripts', 'services', 'imports', 'docs', 'node_modules', '.git', '.ci', '.tools'];

export interface FolderContext {
  /** How the folder was given, for messages: `--out "x"` or `CDK8S_OUTDIR="x"`. */
  readonly given: string;
  readonly cwd: string;
  readonly home: string;
  /** The obs-stack project's root (the folder holding src/). */
  readonly projectRoot: string;
}

/**
 * The nearest folder at or above this module's that holds a package.json: the project root whether this
 * runs from src/outputs/ (tsx), build/src/outputs/ (tsc) or build/ (the compiled synth, one bundled file).
 */
function projectRootOf(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return resolve(dir, '..', '..');
  }
}

export function defaultFolderContext(given: string): FolderContext {
  return { given, cwd: process.cwd(), home: homedir(), projectRoot: projectRootOf(__dirname) };
}

/** The real path of `path`, resolving symbolic links of the part that exists. */
function realPath(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realPath(parent), basename(path));
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Refuses output folders that are plainly a mistake; returns the folder's real path (symbolic links resolved). */
export function checkOutputFolder(out: string, ctx: FolderContext): string {
  const refuse = (why: string, fix = 'choose a folder of its own, e.g. --out dist (the default)'): never => {
    throw new OutputError(`refusing to write into ${ctx.given}: ${why}; ${fix}. Nothing was written.`, 'untouched');
  };
  if (out === '') refuse('the folder name is empty');
  if (/[\u0000-\u001f\u007f]/.test(out)) refuse('the folder name contains a control character');
  const real = realPath(resolve(ctx.cwd, out));
  const cwd = realPath(ctx.cwd);
  const project = realPath(ctx.projectRoot);
  const home = ctx.home === '' ? undefined : realPath(ctx.home);
  if (real === sep || dirname(real) === real) refuse('it is the file system root');
  if (home !== undefined && real === home) refuse('it is the home folder');
  if (home !== undefined && isInside(home, real)) refuse('it contains the home folder');
  if (real === cwd) refuse('it is the current folder, and synth replaces an output folder\'s whole content');
  if (isInside(cwd, real)) refuse('it contains the current folder');
  if (real === project || isInside(project, real)) refuse('it is or contains the obs-stack project');
  for (const f of PROJECT_FOLDERS) {
    const folder = join(project, f);
    if (real === folder || isInside(real, folder)) refuse(`it is inside the project's ${f}/ folder`);
  }
  if (existsSync(real)) {
    if (!statSync(real).isDirectory()) refuse('it is a file, not a folder', 'give a folder that is absent, empty, or one synth wrote');
    for (const marker of ['.git', 'package.json']) {
      if (existsSync(join(real, marker))) refuse(`it holds ${marker}, so it is a repository or project root`);
    }
  }
  return real;
}

/** Checks one path of a write or of an ownership record: relative, '/'-separated, inside the folder. */
export function isSafeRelativePath(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.includes('\\') || /[\u0000-\u001f\u007f]/.test(rel)) return false;
  const parts = rel.split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..') && parts[0] !== MANIFEST_FILE && parts[0] !== TXN_DIR;
}

export const RECORD_ABOUT = 'The files obs-stack synth wrote into this folder. Synth replaces or deletes only these and refuses a folder holding anything else. Written by synth: do not edit.';

/** The ownership record's text: sorted, one path per line, no timestamps. */
export function renderRecord(files: Iterable<string>): string {
  const sorted = [...new Set(files)].sort(compareStrings);
  return `${JSON.stringify({ about: RECORD_ABOUT, files: sorted }, null, 2)}\n`;
}

/** Parses an ownership record; throws an OutputError naming the problem. */
export function parseRecord(text: string, out: string): Set<string> {
  const bad = (why: string): never => {
    throw new OutputError(`the ownership record ${showPath(out, MANIFEST_FILE)} ${why}, so synth cannot tell which files it owns; ` +
      `restore the record (e.g. git checkout -- ${out.replace(/\/+$/, '')}/${MANIFEST_FILE}) or empty the folder yourself. Nothing was written.`, 'untouched');
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return bad('is not valid JSON');
  }
  const files = (data as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return bad('has no "files" list');
  for (const f of files) {
    if (typeof f !== 'string' || !isSafeRelativePath(f)) return bad(`lists ${typeof f === 'string' ? quote(f) : JSON.stringify(f)}, which is not a path inside the folder`);
  }
  return new Set(files as string[]);
}

/** Every prefix folder of the given paths ("a/b/c" gives "a" and "a/b"). */
export function parentFolders(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return out;
}

/** One entry found in the folder: a file, or a folder or other object reported as a whole. */
export interface Found {
  readonly rel: string;
  readonly kind: 'file' | 'dir' | 'other';
}

/**
 * Walks the output folder without following symbolic links. `descend` says which folders to look into
 * (the others are reported whole). The record itself and the transaction folder are skipped.
 */
export function scan(fs: WriterFs, root: string, descend: (rel: string) => boolean): Found[] {
  const found: Found[] = [];
  const walk = (rel: string): void => {
    for (const name of fs.readdir(rel === '' ? root : join(root, rel))) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (rel === '' && (name === MANIFEST_FILE || name === TXN_DIR)) continue;
      const kind = fs.kind(join(root, child)) ?? 'other';
      if (kind === 'dir' && descend(child)) walk(child);
      else found.push({ rel: child, kind });
    }
  };
  walk('');
  return found;
}

/** How a list of paths shows in a refusal: the first few, then how many more. */
export function listSome(out: string, found: readonly Found[], max = 5): string {
  const shown = found.slice(0, max).map((f) => `  ${showPath(out, f.rel)}${f.kind === 'dir' ? ' (a folder)' : f.kind === 'other' ? ' (not a regular file)' : ''}`);
  if (found.length > max) shown.push(`  ... and ${found.length - max} more`);
  return shown.join('\n');
}

/**
 * Where an earlier obs-stack (before the ownership record) left copies behind after a failed run:
 * `.staging-<pid>/<path>` and `.old-<pid>-<top>/<rest>`. Returns the path the copy stands for.
 */
export function legacyLeftover(rel: string): string | undefined {
  const [top, ...rest] = rel.split('/');
  if (/^\.staging-\d+$/.test(top)) return rest.join('/');
  const old = /^\.old-\d+-(.+)$/.exec(top);
  return old ? [old[1], ...rest].join('/') : undefined;
}
