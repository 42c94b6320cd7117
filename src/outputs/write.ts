/**
 * Writes synthesized files into the output folder as one transaction, touching only what synth owns.
 *
 * 1. Check: the folder is a sensible place (see output-folder.ts) and holds only files listed in its
 *    ownership record, or, without a record, only files this synth writes (adoption). Read-only.
 * 2. Stage: take the lock (`.obs-stack-txn/`), write the changed parts and the new record into
 *    `.obs-stack-txn/staging/`.
 * 3. Journal: `.obs-stack-txn/journal.json` lists the parts to swap and the folders to create.
 * 4. Swap: each changed part moves to `.obs-stack-txn/old/`, its new version moves in (renames).
 * 5. Commit: `journal.json` is renamed `committed.json`; the point of no return.
 * 6. Finish: the new record moves into place, emptied folders go, `.obs-stack-txn/` goes.
 *
 * A failure in 2-4 puts back what was swapped, so the previous tree is as it was. A run killed part-way
 * leaves `.obs-stack-txn/`; the next run rolls it back (journal) or completes it (committed) before anything
 * else. This protects against failures and interruptions of the process, not against power loss: files are
 * not fsync'ed (the committed dist/ can always be regenerated).
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compareStrings } from '../lib/order';
import {
  checkOutputFolder, defaultFolderContext, type FolderContext, isSafeRelativePath, legacyLeftover, listSome, MANIFEST_FILE,
  OutputError, parentFolders, parseRecord, renderRecord, scan, showPath, TXN_DIR,
} from './output-folder';

/** The file operations the writer uses: the seam through which tests inject failures. */
export interface WriterFs {
  /** What is at `path` (symbolic links are not followed); undefined when nothing is. */
  kind(path: string): 'file' | 'dir' | 'other' | undefined;
  /** Entry names, sorted. */
  readdir(path: string): string[];
  readFile(path: string): string;
  /** Whether the file at `path` holds exactly `content`, encoded as UTF-8. */
  sameContent(path: string, content: string): boolean;
  /** Creates one folder; fails when something is there. */
  mkdir(path: string): void;
  /** Creates a file; fails when something is there. */
  writeFile(path: string, content: string): void;
  rename(from: string, to: string): void;
  /** Removes a file, or a folder with everything in it. */
  remove(path: string): void;
  /** Removes an empty folder. */
  rmdir(path: string): void;
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/**
 * The buffers sameContent reads and encodes into, grown as needed: a run compares every file it would write
 * with the one on disk, and a fresh buffer for each costs its memory pages anew.
 */
const compareBuffers: { file: Buffer; want: Buffer } = { file: Buffer.alloc(0), want: Buffer.alloc(0) };

function atLeast(buffer: Buffer, size: number): Buffer {
  return buffer.length >= size ? buffer : Buffer.allocUnsafeSlow(Math.max(size, 2 * buffer.length, 64 * 1024));
}

export const NODE_FS: WriterFs = {
  kind(path) {
    try {
      const s = lstatSync(path);
      return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
    } catch (e) {
      if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return undefined;
      throw e;
    }
  },
  readdir: (path) => readdirSync(path).sort(compareStrings),
  readFile: (path) => readFileSync(path, 'utf8'),
  // Bytes against bytes (no UTF-8 decoding of every file read back), in buffers kept for the next file.
  sameContent(path, content) {
    const size = Buffer.byteLength(content, 'utf8');
    compareBuffers.want = atLeast(compareBuffers.want, size);
    compareBuffers.want.write(content, 0, 'utf8');
    // One byte more than expected tells a longer file.
    const file = compareBuffers.file = atLeast(compareBuffers.file, size + 1);
    const fd = openSync(path, 'r');
    let got = 0;
    try {
      for (let n = 1; n > 0 && got <= size; got += n) n = readSync(fd, file, got, size + 1 - got, null);
    } finally {
      closeSync(fd);
    }
    return got === size && file.compare(compareBuffers.want, 0, size, 0, size) === 0;
  },
  mkdir: (path) => mkdirSync(path),
  writeFile(path, content) {
    const fd = openSync(path, 'wx');
    try {
      const data = Buffer.from(content, 'utf8');
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at);
    } finally {
      closeSync(fd);
    }
  },
  rename: (from, to) => renameSync(from, to),
  remove: (path) => rmSync(path, { recursive: true }),
  rmdir: (path) => rmdirSync(path),
};

export interface WriteRequest {
  /** Relative '/'-separated path → content. */
  readonly files: ReadonlyMap<string, string>;
  /** The parts (a folder or a file) this write owns whole: each becomes exactly the files under it. */
  readonly units: readonly string[];
  /** Also remove every owned path outside `units` (a synth of every environment drops what it no longer writes). */
  readonly prune: boolean;
}

export interface WriteOutcome {
  /** The parts replaced, added or removed, in order; empty when the folder was already current. */
  readonly updated: readonly string[];
  /** Things the user should know: an adopted folder, an interrupted run completed or rolled back. */
  readonly notes: readonly string[];
}

export interface WriteOptions {
  readonly fs?: WriterFs;
  readonly folder?: FolderContext;
}

const STAGING = 'staging';
const OLD = 'old';
const PID_FILE = 'pid';
const JOURNAL = 'journal.json';
const COMMITTED = 'committed.json';

interface Journal {
  readonly units: ReadonlyArray<{ readonly path: string; readonly existed: boolean }>;
  /** Folders the swap creates for new parts, parents first. */
  readonly createdDirs: readonly string[];
}

function under(path: string, unit: string): boolean {
  return path === unit || path.startsWith(`${unit}/`);
}

/** An error's message (errors from node:fs are not `instanceof Error` inside every VM context, so duck-type). */
function reason(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

/** Creates `path` and any missing parents, adding each folder created to `created` (parents first). */
function makeFolders(fs: WriterFs, path: string, created: string[]): void {
  if (fs.kind(path) !== undefined) return;
  makeFolders(fs, dirname(path), created);
  fs.mkdir(path);
  created.push(path);
}

function checkRequest(request: WriteRequest): void {
  const units = [...request.units].sort(compareStrings);
  for (const u of units) if (!isSafeRelativePath(u)) throw new Error(`internal: output part ${JSON.stringify(u)} is not a relative path`);
  for (let i = 1; i < units.length; i++) {
    if (under(units[i], units[i - 1])) throw new Error(`internal: output parts ${units[i - 1]} and ${units[i]} overlap`);
  }
  for (const f of request.files.keys()) {
    if (!isSafeRelativePath(f)) throw new Error(`internal: ${JSON.stringify(f)} is not a relative path`);
    if (!units.some((u) => under(f, u))) throw new Error(`internal: ${f} is outside the synthesized parts (${units.join(', ')})`);
  }
}

interface Ownership {
  readonly owned: ReadonlySet<string>;
  /** The record's text as found; undefined when the folder had none. */
  readonly recordText?: string;
}

/** What synth owns in the folder; refuses a folder holding anything else. Reads only. */
function readOwnership(fs: WriterFs, root: string, request: WriteRequest, out: string, given: string, notes: string[]): Ownership {
  if (fs.kind(root) === undefined) return { owned: new Set() };
  const recordPath = join(root, MANIFEST_FILE);
  const recordKind = fs.kind(recordPath);
  if (recordKind === 'file') {
    const recordText = fs.readFile(recordPath);
    const owned = parseRecord(recordText, out);
    const folders = parentFolders(owned);
    const foreign = scan(fs, root, (rel) => folders.has(rel)).filter((f) => !(f.kind === 'file' && owned.has(f.rel)));
    if (foreign.length > 0) {
      throw new OutputError(`refusing to write into ${given}: it holds ${foreign.length} path(s) synth did not write ` +
        `(they are not in ${MANIFEST_FILE}):\n${listSome(out, foreign)}\nSynth replaces only files it wrote. Move those elsewhere, ` +
        'or choose another folder with --out. Nothing was written.', 'untouched');
    }
    return { owned, recordText };
  }
  if (recordKind !== undefined) {
    throw new OutputError(`refusing to write into ${given}: ${showPath(out, MANIFEST_FILE)} is not a file. Nothing was written.`, 'untouched');
  }
  // No record: an output folder from before the record, or a new one. Adopt it only when every file in it
  // is one this synth writes (or an earlier version's leftover copy of one).
  const wanted = new Set(request.files.keys());
  const folders = parentFolders(wanted);
  const standsFor = (rel: string): string | undefined => (wanted.has(rel) || folders.has(rel) ? rel : legacyLeftover(rel));
  const found = scan(fs, root, (rel) => {
    const p = standsFor(rel);
    return p !== undefined && (p === '' || folders.has(p));
  });
  const foreign = found.filter((f) => { const p = standsFor(f.rel); return !(f.kind === 'file' && p !== undefined && wanted.has(p)); });
  if (foreign.length > 0) {
    const fix = request.prune
      ? 'Move those elsewhere, or choose an empty or new folder with --out.'
      : 'A synth of every environment (without --env) may adopt it; otherwise move those elsewhere or choose another folder with --out.';
    throw new OutputError(`refusing to write into ${given}: it has no ownership record (${MANIFEST_FILE}) and holds ${foreign.length} ` +
      `path(s) this synth would not write:\n${listSome(out, foreign)}\n${fix} Nothing was written.`, 'untouched');
  }
  if (found.length > 0) {
    notes.push(`${showPath(out)} had no ownership record; every file in it is one synth writes (or an earlier run's leftover copy of one), ` +
      `so synth took it over and lists its files in ${MANIFEST_FILE}`);
  }
  return { owned: new Set(found.map((f) => f.rel)) };
}

/** The parts to write: the requested ones, plus (when pruning) the owned paths outside them. */
function allUnits(request: WriteRequest, owned: ReadonlySet<string>): string[] {
  const units = new Set(request.units);
  if (request.prune) {
    for (const f of owned) {
      if (request.units.some((u) => under(f, u))) continue;
      const parts = f.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const p = parts.slice(0, i).join('/');
        if (!request.units.some((u) => under(u, p))) { units.add(p); break; }
      }
    }
  }
  return [...units].sort(compareStrings);
}

/** Whether the part on disk is already exactly the requested files. */
function unchanged(fs: WriterFs, root: string, unit: string, files: ReadonlyMap<string, string>): boolean {
  const want = [...files].filter(([f]) => under(f, unit));
  const path = join(root, unit);
  const kind = fs.kind(path);
  if (kind === undefined) return want.length === 0;
  if (kind === 'file') return want.length === 1 && want[0][0] === unit && fs.sameContent(path, want[0][1]);
  if (kind !== 'dir') return false;
  const onDisk = scan(fs, path, () => true);
  if (onDisk.length !== want.length || onDisk.some((f) => f.kind !== 'file')) return false;
  return onDisk.every((f) => {
    const content = files.get(`${unit}/${f.rel}`);
    return content !== undefined && fs.sameContent(join(path, f.rel), content);
  });
}

function readJournal(fs: WriterFs, path: string): Journal {
  const j = JSON.parse(fs.readFile(path)) as Journal;
  const ok = Array.isArray(j?.units) && Array.isArray(j?.createdDirs) &&
    j.units.every((u) => typeof u?.path === 'string' && isSafeRelativePath(u.path) && typeof u.existed === 'boolean') &&
    j.createdDirs.every((d) => typeof d === 'string' && isSafeRelativePath(d));
  if (!ok) throw new Error(`${path} is damaged`);
  return j;
}

/** Removes the folders above a removed part that are now empty. */
function removeEmptyParents(fs: WriterFs, root: string, unit: string): void {
  for (let p = dirname(unit); p !== '.' && p !== ''; p = dirname(p)) {
    const path = join(root, p);
    if (fs.kind(path) !== 'dir' || fs.readdir(path).length > 0) return;
    fs.rmdir(path);
  }
}

/** Step 6: the new record into place, emptied folders and the transaction folder removed. Idempotent. */
function finish(fs: WriterFs, root: string, journal: Journal): void {
  const txn = join(root, TXN_DIR);
  const staged = join(txn, STAGING, MANIFEST_FILE);
  if (fs.kind(staged) === 'file') fs.rename(staged, join(root, MANIFEST_FILE));
  for (const { path } of journal.units) if (fs.kind(join(root, path)) === undefined) removeEmptyParents(fs, root, path);
  fs.remove(txn);
}

/** Puts every swapped part back and removes what the swap added. Idempotent. */
function rollback(fs: WriterFs, root: string, journal: Journal): void {
  const txn = join(root, TXN_DIR);
  for (const { path, existed } of [...journal.units].reverse()) {
    const current = join(root, path);
    const saved = join(txn, OLD, path);
    if (fs.kind(saved) !== undefined) {
      if (fs.kind(current) !== undefined) fs.remove(current);
      fs.rename(saved, current);
    } else if (!existed && fs.kind(current) !== undefined) {
      fs.remove(current);
    }
  }
  for (const d of [...journal.createdDirs].reverse()) {
    const path = join(root, d);
    if (fs.kind(path) === 'dir' && fs.readdir(path).length === 0) fs.rmdir(path);
  }
  fs.remove(txn);
}

/** When process `pid` started (Linux: clock ticks since boot, from /proc), to tell a reused pid apart. */
function processStart(pid: number): string | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses; the fields after it do not.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The lock file's content: this process and when it started. */
function lockText(): string {
  return `${process.pid} ${processStart(process.pid) ?? ''}`.trim() + '\n';
}

/** Whether the process that wrote `lock` still runs (another call in this process never does: writes are synchronous). */
function isRunning(lock: string): boolean {
  const [pidText, started] = lock.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (errorCode(e) !== 'EPERM') return false;
  }
  return started === undefined || processStart(pid) === undefined || processStart(pid) === started;
}

/** Completes or rolls back what an interrupted run left in `.obs-stack-txn/`. */
function recover(fs: WriterFs, root: string, out: string): string {
  const txn = join(root, TXN_DIR);
  const where = showPath(out);
  let lock = '';
  try {
    lock = fs.readFile(join(txn, PID_FILE));
  } catch { /* no lock file: the run died before writing it */ }
  if (isRunning(lock)) {
    const pid = lock.trim().split(' ')[0];
    throw new OutputError(`another synth (process ${pid}) is writing into ${where}; wait for it to finish. ` +
      `If no synth runs, ${showPath(out, TXN_DIR)} is left from a crash: run synth again once process ${pid} is gone. Nothing was written.`, 'untouched');
  }
  try {
    if (fs.kind(join(txn, COMMITTED)) === 'file') {
      finish(fs, root, readJournal(fs, join(txn, COMMITTED)));
      return `an earlier run into ${where} was interrupted after its update was complete; synth finished it`;
    }
    if (fs.kind(join(txn, JOURNAL)) === 'file') {
      rollback(fs, root, readJournal(fs, join(txn, JOURNAL)));
      return `an earlier run into ${where} was interrupted while it swapped files; synth put back the output as it was before that run`;
    }
    fs.remove(txn);
    return `an earlier run into ${where} was interrupted before it changed anything; synth removed its unfinished copy`;
  } catch (e) {
    throw new OutputError(`an earlier run into ${where} was interrupted, and finishing or undoing it failed: ${reason(e)}. ` +
      `${showPath(out, TXN_DIR)} records what it did; fix the cause and run synth again (or restore ${where} from version control ` +
      `and remove that folder). Nothing else was written.`, 'partial');
  }
}

/**
 * Completes or rolls back an interrupted run in `out`, if there is one (every write does this first).
 * Returns what it did, or undefined when there was nothing to do.
 */
export function recoverOutput(out: string, options: WriteOptions = {}): string | undefined {
  const fs = options.fs ?? NODE_FS;
  const root = checkOutputFolder(out, options.folder ?? defaultFolderContext(`--out ${JSON.stringify(out)}`));
  return fs.kind(join(root, TXN_DIR)) === undefined ? undefined : recover(fs, root, out);
}

/**
 * Writes `request` into the folder `out` (see the file comment). Throws OutputError, whose message says
 * truthfully what the folder looks like afterwards.
 */
export function writeOutput(out: string, request: WriteRequest, options: WriteOptions = {}): WriteOutcome {
  checkRequest(request);
  const output = new StagedOutput(out, options);
  try {
    for (const unit of [...request.units].sort(compareStrings)) {
      output.add(unit, new Map([...request.files].filter(([f]) => under(f, unit))));
    }
    return output.commit(request.units, request.prune);
  } finally {
    output.abort();
  }
}

/**
 * A write whose parts arrive one at a time, so a caller need not hold the whole output in memory: each
 * part given to `add` is compared with the folder and, when it differs, written into the staging folder
 * at once; `commit` swaps the changed parts in as one transaction (steps 4-6), `abort` drops the staged
 * copy. Nothing outside `.obs-stack-txn/` changes before `commit`, and nothing at all before the first `add`.
 */
export class StagedOutput {
  private readonly fs: WriterFs;
  private readonly folder: FolderContext;
  private root?: string;
  private readonly notes: string[] = [];
  /** Every file added, changed or not. */
  private readonly names = new Set<string>();
  /** The parts added, and whether each differs from the folder. */
  private readonly parts = new Map<string, boolean>();
  /** The parts added with at least one file. */
  private readonly filled = new Set<string>();
  /** Folders created for the output folder itself (removed again when nothing is written). */
  private readonly createdRoot: string[] = [];
  private readonly stagedDirs = new Set<string>();
  private locked = false;
  private done = false;

  constructor(private readonly out: string, options: WriteOptions = {}) {
    this.fs = options.fs ?? NODE_FS;
    this.folder = options.folder ?? defaultFolderContext(`--out ${JSON.stringify(out)}`);
  }

  /** Step 1's start: the folder checked, an interrupted run finished or undone. Once, at the first use. */
  private start(): string {
    if (this.root !== undefined) return this.root;
    const root = checkOutputFolder(this.out, this.folder);
    try {
      if (this.fs.kind(join(root, TXN_DIR)) !== undefined) this.notes.push(recover(this.fs, root, this.out));
    } catch (e) {
      if (e instanceof OutputError) throw e;
      throw new OutputError(`could not read ${showPath(this.out)}: ${reason(e)}. Nothing was written.`, 'untouched');
    }
    this.root = root;
    return root;
  }

  /**
   * Adds one part (a folder or a file of the output) with every file under it; stages it when it changed.
   * Returns whether it changed (false: the output already holds exactly these files there).
   */
  add(unit: string, files: ReadonlyMap<string, string>): boolean {
    if (this.done) throw new Error('internal: output already committed or aborted');
    if (!isSafeRelativePath(unit)) throw new Error(`internal: output part ${JSON.stringify(unit)} is not a relative path`);
    for (const u of this.parts.keys()) {
      if (under(u, unit) || under(unit, u)) throw new Error(`internal: output parts ${u} and ${unit} overlap`);
    }
    for (const f of files.keys()) {
      if (!isSafeRelativePath(f)) throw new Error(`internal: ${JSON.stringify(f)} is not a relative path`);
      if (!under(f, unit)) throw new Error(`internal: ${f} is outside the part ${unit}`);
    }
    const root = this.start();
    let same: boolean;
    try {
      same = unchanged(this.fs, root, unit, files);
    } catch (e) {
      this.abort();
      throw new OutputError(`could not read ${showPath(this.out)}: ${reason(e)}. Nothing was written.`, 'untouched');
    }
    this.parts.set(unit, !same);
    if (files.size > 0) this.filled.add(unit);
    for (const f of files.keys()) this.names.add(f);
    if (same) return false;
    this.lock();
    let step = '';
    try {
      const staging = join(root, TXN_DIR, STAGING);
      for (const [rel, content] of [...files].sort(([a], [b]) => compareStrings(a, b))) {
        step = `writing ${rel}`;
        for (const p of [...parentFolders([rel])].sort(compareStrings)) {
          if (!this.stagedDirs.has(p)) { this.fs.mkdir(join(staging, p)); this.stagedDirs.add(p); }
        }
        this.fs.writeFile(join(staging, rel), content);
      }
    } catch (e) {
      this.failStaging(step, e);
    }
    return true;
  }

  /** Step 2's start: the lock and the staging folder, the first time a changed part needs them. */
  private lock(): void {
    if (this.locked) return;
    const fs = this.fs;
    const root = this.root!;
    const where = showPath(this.out);
    const txn = join(root, TXN_DIR);
    let step = `creating ${where}`;
    try {
      makeFolders(fs, root, this.createdRoot);
      step = `taking the lock ${showPath(this.out, TXN_DIR)}`;
      fs.mkdir(txn);
    } catch (e) {
      const busy = errorCode(e) === 'EEXIST';
      this.done = true;
      try { this.undoRoot(); } catch { /* an empty folder left behind is harmless */ }
      throw new OutputError(busy
        ? `another synth started writing into ${where} at the same time; wait for it and run again. Nothing was written.`
        : `could not write into ${where} (${step}): ${reason(e)}. Nothing was written.`, 'untouched');
    }
    this.locked = true;
    try {
      step = 'writing the lock';
      fs.writeFile(join(txn, PID_FILE), lockText());
      fs.mkdir(join(txn, STAGING));
    } catch (e) {
      this.failStaging(step, e);
    }
  }

  private undoRoot(): void {
    for (const d of [...this.createdRoot].reverse()) if (this.fs.kind(d) === 'dir' && this.fs.readdir(d).length === 0) this.fs.rmdir(d);
  }

  /** Removes the transaction folder (nothing outside it has changed yet); says so when that fails too. */
  private dropStaging(): string {
    this.done = true;
    if (!this.locked) {
      try { this.undoRoot(); } catch { /* an empty folder left behind is harmless */ }
      return '';
    }
    this.locked = false;
    try {
      this.fs.remove(join(this.root!, TXN_DIR));
      this.undoRoot();
      return '';
    } catch (e2) {
      return ` The unfinished copy ${showPath(this.out, TXN_DIR)} could not be removed (${reason(e2)}); the next run removes it.`;
    }
  }

  private failStaging(step: string, e: unknown): never {
    const leftover = this.dropStaging();
    throw new OutputError(`could not write the new output (${step}): ${reason(e)}. Nothing in ${showPath(this.out)} was changed: ` +
      `the previous output is as it was.${leftover}`, 'untouched');
  }

  /** Drops whatever was staged, unless the write was committed. Safe to call at any time, any number of times. */
  abort(): void {
    if (this.done) return;
    this.dropStaging();
  }

  /**
   * Checks what synth owns in the folder, then swaps in every changed part of `units` (parts never added
   * have no files) and the new ownership record. `prune` also removes owned paths outside `units`.
   */
  commit(units: readonly string[], prune: boolean): WriteOutcome {
    if (this.done) throw new Error('internal: output already committed or aborted');
    const request: WriteRequest = { files: new Map([...this.names].map((n) => [n, ''])), units, prune };
    checkRequest({ files: new Map(), units, prune });
    for (const p of this.parts.keys()) {
      if (!units.includes(p)) throw new Error(`internal: ${p} is not one of the synthesized parts (${units.join(', ')})`);
    }
    const fs = this.fs;
    const root = this.start();
    const out = this.out;
    let ownership: Ownership;
    let all: string[];
    let changed: string[];
    try {
      ownership = readOwnership(fs, root, request, out, this.folder.given, this.notes);
      all = allUnits(request, ownership.owned);
      changed = all.filter((u) => this.parts.get(u) ?? !unchanged(fs, root, u, new Map()));
    } catch (e) {
      this.abort();
      // A synth that started meanwhile is mid-swap: what looked foreign or unreadable may be its work.
      if (!this.locked && fs.kind(join(root, TXN_DIR)) !== undefined) {
        throw new OutputError(`another synth started writing into ${showPath(out)} at the same time; wait for it and run again. Nothing was written.`, 'untouched');
      }
      if (e instanceof OutputError) throw e;
      throw new OutputError(`could not read ${showPath(out)}: ${reason(e)}. Nothing was written.`, 'untouched');
    }
    const kept = [...ownership.owned].filter((f) => !all.some((u) => under(f, u)));
    const record = renderRecord([...kept, ...this.names]);
    if (changed.length === 0 && record === ownership.recordText) {
      this.abort();
      return { updated: [], notes: this.notes };
    }
    this.lock();
    this.done = true;
    transact(fs, root, out, changed, this.filled, record, this.createdRoot);
    return { updated: record === ownership.recordText ? changed : [...changed, MANIFEST_FILE], notes: this.notes };
  }
}

/** Steps 2 (the record; the parts are staged) to 6, with the lock taken. */
function transact(fs: WriterFs, root: string, out: string, changed: readonly string[], filled: ReadonlySet<string>, record: string, createdRoot: readonly string[]): void {
  const where = showPath(out);
  const txn = join(root, TXN_DIR);
  const staging = join(txn, STAGING);
  let step = `writing ${MANIFEST_FILE}`;
  const undoRoot = (): void => {
    for (const d of [...createdRoot].reverse()) if (fs.kind(d) === 'dir' && fs.readdir(d).length === 0) fs.rmdir(d);
  };
  // Steps 2 and 3: nothing outside .obs-stack-txn/ changes.
  let journal: Journal;
  try {
    fs.writeFile(join(staging, MANIFEST_FILE), record);
    const missing = [...parentFolders(changed.filter((u) => filled.has(u)))]
      .filter((d) => fs.kind(join(root, d)) === undefined)
      .sort((a, b) => a.split('/').length - b.split('/').length || compareStrings(a, b));
    journal = { units: changed.map((path) => ({ path, existed: fs.kind(join(root, path)) !== undefined })), createdDirs: missing };
    step = 'writing the journal';
    fs.writeFile(join(txn, `${JOURNAL}.part`), `${JSON.stringify(journal, null, 2)}\n`);
    fs.rename(join(txn, `${JOURNAL}.part`), join(txn, JOURNAL));
  } catch (e) {
    let leftover = '';
    try {
      fs.remove(txn);
      undoRoot();
    } catch (e2) {
      leftover = ` The unfinished copy ${showPath(out, TXN_DIR)} could not be removed (${reason(e2)}); the next run removes it.`;
    }
    throw new OutputError(`could not write the new output (${step}): ${reason(e)}. Nothing in ${where} was changed: ` +
      `the previous output is as it was.${leftover}`, 'untouched');
  }
  // Step 4: the swap.
  try {
    fs.mkdir(join(txn, OLD));
    const made = new Set<string>();
    for (const { path, existed } of journal.units) {
      if (existed) {
        step = `moving the previous ${path} aside`;
        for (const p of [...parentFolders([path])].sort(compareStrings)) {
          if (!made.has(p)) { fs.mkdir(join(txn, OLD, p)); made.add(p); }
        }
        fs.rename(join(root, path), join(txn, OLD, path));
      }
      if (fs.kind(join(staging, path)) !== undefined) {
        step = `moving the new ${path} into place`;
        for (const d of journal.createdDirs) if (under(path, d) && fs.kind(join(root, d)) === undefined) fs.mkdir(join(root, d));
        fs.rename(join(staging, path), join(root, path));
      }
    }
    // Step 5: the commit.
    step = 'committing';
    fs.rename(join(txn, JOURNAL), join(txn, COMMITTED));
  } catch (e) {
    try {
      rollback(fs, root, journal);
      undoRoot();
    } catch (e2) {
      throw new OutputError(`could not update ${where} (${step}): ${reason(e)}. Putting back the parts already replaced failed too: ` +
        `${reason(e2)}. ${where} is partly updated; ${showPath(out, `${TXN_DIR}/${JOURNAL}`)} records how to restore it, and the next ` +
        'synth restores it before anything else (fix the cause first).', 'partial');
    }
    throw new OutputError(`could not update ${where} (${step}): ${reason(e)}. Synth put back every part it had replaced: ` +
      'the previous output is as it was.', 'restored');
  }
  // Step 6.
  try {
    finish(fs, root, journal);
  } catch (e) {
    throw new OutputError(`the new output is in place in ${where}, but cleaning up failed: ${reason(e)}. ` +
      `The next synth finishes the cleanup (${showPath(out, TXN_DIR)}).`, 'written');
  }
}
