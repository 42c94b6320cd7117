// @ts-check
'use strict';
/**
 * The compiled synth: src/main.ts and everything it imports (cdk8s, the Grafana SDK, js-yaml, ...) bundled
 * by esbuild into one CommonJS file, build/synth.js. `npm ci` builds it; every run first compares a
 * fingerprint of the inputs with the one recorded at build time and rebuilds on any difference, so a stale
 * build is never run.
 *
 *   node scripts/build.js               build if anything changed
 *   node scripts/build.js --force       build now
 *   node scripts/build.js --at-install  as without flags, but only a note when esbuild is not installed
 *                                       (`npm ci` runs this; `npm ci --omit=dev` has no esbuild)
 *
 * The fingerprint covers the content of every file under src/ and imports/ (and their names, so an added
 * or removed file counts), package.json, tsconfig.json, this file, and npm's record of the installed
 * packages (node_modules/.package-lock.json), which changes with every install that changes a package.
 * The stamp also keeps each input's size and modification time: when none of them moved, the files are
 * not read again (what make and tsc --incremental also trust); when any moved, or changed in the last two
 * seconds, the contents decide, and a matching fingerprint only refreshes the stamp.
 *
 * esbuild writes the bundle as ASCII (non-ASCII characters as escapes); the stamp records that it is, and
 * the bundle is then read as Latin-1, which is several times faster than decoding UTF-8.
 *
 * The first successful run after a build also saves V8's compiled code for the bundle
 * (build/synth.js.v8cache), which later runs load instead of compiling those functions again. V8 checks
 * the cache against the source and ignores one that does not match; it is then written anew.
 */
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { Script } = require('node:vm');

const ROOT = `${__dirname}/..`;
/** @param {string} root */
const bundleOf = (root) => `${root}/build/synth.js`;
/** @param {string} root */
const stampOf = (root) => `${root}/build/synth.stamp.json`;
/** @param {string} root */
const codeCacheOf = (root) => `${root}/build/synth.js.v8cache`;
const SOURCE_DIRS = ['src', 'imports'];
const SINGLE_FILES = ['package.json', 'tsconfig.json', 'scripts/build.js'];
const INSTALLED = ['node_modules/.package-lock.json', 'package-lock.json'];

/**
 * Files under `dir` (relative to `root`, `/`-separated), in code-unit order.
 * @param {string} root
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(root, dir) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} rel */
  const walk = (rel) => {
    for (const entry of readdirSync(`${root}/${rel}`, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (existsSync(`${root}/${dir}`)) walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The inputs listed above, `/`-separated and relative to `root`: the source folders' files, the single
 * files, and the first install record that exists (or none).
 * @param {string} root
 * @returns {string[]}
 */
function inputFiles(root) {
  const installed = INSTALLED.find((rel) => existsSync(`${root}/${rel}`));
  return [...SOURCE_DIRS.flatMap((dir) => listFiles(root, dir)), ...SINGLE_FILES, ...(installed === undefined ? [] : [installed])];
}

/**
 * sha256 over the inputs' contents.
 * @param {string} [root] the project folder
 * @returns {string}
 */
function fingerprint(root = ROOT) {
  const h = createHash('sha256');
  /** @param {string} rel @param {Buffer} content */
  const add = (rel, content) => {
    h.update(`${rel}\0${content.length}\0`);
    h.update(content);
  };
  for (const dir of SOURCE_DIRS) for (const rel of listFiles(root, dir)) add(rel, readFileSync(`${root}/${rel}`));
  for (const rel of SINGLE_FILES) add(rel, existsSync(`${root}/${rel}`) ? readFileSync(`${root}/${rel}`) : Buffer.from('<missing>'));
  const installed = INSTALLED.find((rel) => existsSync(`${root}/${rel}`));
  add(installed ?? '<no lockfile>', installed === undefined ? Buffer.alloc(0) : readFileSync(`${root}/${installed}`));
  return h.digest('hex');
}

/** Files changed this recently (or later: a clock ahead) are not judged by their times (see statPrint). */
const RACY_NS = 2_000_000_000n;

/**
 * sha256 over the inputs' names, sizes and modification times (nanoseconds), without reading them; or
 * undefined while any input changed within the last two seconds. A file system that keeps times in whole
 * seconds (two, for FAT) gives an edit made in the same second as the last check the same time, so those
 * inputs are compared by content until they are older (git treats its index the same way).
 * @param {string} [root] the project folder
 * @returns {string | undefined}
 */
function statPrint(root = ROOT) {
  const h = createHash('sha256');
  const recent = BigInt(Date.now()) * 1_000_000n - RACY_NS;
  for (const rel of inputFiles(root)) {
    const st = statSync(`${root}/${rel}`, { bigint: true, throwIfNoEntry: false });
    if (st !== undefined && st.mtimeNs >= recent) return undefined;
    h.update(`${rel}\0${st === undefined ? '-' : `${st.size}\0${st.mtimeNs}`}\0`);
  }
  return h.digest('hex');
}

/**
 * @typedef {{ fingerprint: string, bundleBytes: number, ascii?: boolean, stat?: string }} Stamp `stat`: see statPrint
 */

/**
 * The stamp of build/synth.js, if the bundle is there and is the file built with it.
 * @param {string} root
 * @returns {Stamp | undefined}
 */
function readStamp(root) {
  try {
    /** @type {Stamp} */
    const stamp = JSON.parse(readFileSync(stampOf(root), 'utf8'));
    return statSync(bundleOf(root)).size === stamp.bundleBytes ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} root @param {Stamp} stamp */
function writeStamp(root, stamp) {
  const tmp = `${stampOf(root)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(stamp, null, 2)}\n`);
  renameSync(tmp, stampOf(root));
}

/**
 * The stamp when build/synth.js matches the current inputs, else `undefined`. Sizes and times first; when
 * they moved (or are too recent to tell) the contents decide, and when those did not change (a checkout, a
 * touch) the stamp takes the new times (best effort: a read-only checkout just compares contents every run).
 * @param {string} root
 * @returns {Stamp | undefined}
 */
function currentStamp(root) {
  const stamp = readStamp(root);
  if (stamp === undefined) return undefined;
  const stat = statPrint(root);
  if (stat !== undefined && stamp.stat === stat) return stamp;
  if (stamp.fingerprint !== fingerprint(root)) return undefined;
  if (stat === undefined || stamp.stat === stat) return stamp;
  const fresh = { ...stamp, stat };
  try { writeStamp(root, fresh); } catch { /* read-only */ }
  return fresh;
}

function hasEsbuild() {
  try {
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

/**
 * Bundles src/main.ts into build/synth.js (written under a temporary name, then renamed into place, so a
 * concurrent run never reads half a file).
 * @param {(message: string) => void} report
 * @param {string} [root] the project folder
 */
function build(report, root = ROOT) {
  /** @type {typeof import('esbuild')} */
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error('build/synth.js is missing or out of date, and esbuild (a devDependency) is not installed to rebuild it: run `npm ci`');
  }
  const start = process.hrtime.bigint();
  const stat = statPrint(root);
  const fp = fingerprint(root);
  const bundle = bundleOf(root);
  mkdirSync(`${root}/build`, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  try {
    esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: ['src/main.ts'],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // Comments out: a third less to read and parse, and an all-Latin-1 source V8 keeps as one-byte text.
      minifyWhitespace: true,
      // For `node --enable-source-maps scripts/synth.js` when a stack trace should name the TypeScript lines.
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'error',
    });
    renameSync(`${tmp}.map`, `${bundle}.map`);
    renameSync(tmp, bundle);
    rmSync(codeCacheOf(root), { force: true });
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.map`, { force: true });
  }
  // Sizes and times taken before the contents: an edit during the build makes the next run compare contents.
  writeStamp(root, { fingerprint: fp, bundleBytes: statSync(bundle).size, ascii: !/[^\x00-\x7f]/.test(readFileSync(bundle, 'latin1')), stat });
  report(`obs-stack: built build/synth.js in ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms\n`);
}

/**
 * Path of a build/synth.js that matches the current sources, rebuilding it first when it does not.
 * @param {string} [root] the project folder
 * @param {(message: string) => void} [report] where the "built ..." line goes
 * @returns {string}
 */
function ensureBuilt(root = ROOT, report = (m) => { process.stderr.write(m); }) {
  return built(root, report).bundle;
}

/**
 * As ensureBuilt, with the stamp.
 * @param {string} root
 * @param {(message: string) => void} report
 * @returns {{ bundle: string, stamp: Stamp | undefined }}
 */
function built(root, report) {
  let stamp = currentStamp(root);
  if (stamp === undefined) {
    build(report, root);
    stamp = readStamp(root);
  }
  return { bundle: bundleOf(root), stamp };
}

/**
 * The compiled src/main.ts module, run from V8's code cache when there is a matching one.
 * @returns {typeof import('../src/main')}
 */
function loadSynth() {
  const { bundle: file, stamp } = built(ROOT, (m) => { process.stderr.write(m); });
  const cachePath = codeCacheOf(ROOT);
  // Source-mapped stack traces need Node's own loader.
  if (process.execArgv.some((a) => a.startsWith('--enable-source-maps'))) return require(file);
  /** @type {Buffer | undefined} */
  let cachedData;
  try { cachedData = readFileSync(cachePath); } catch { /* none yet */ }
  const script = new Script(Module.wrap(readFileSync(file, stamp?.ascii === true ? 'latin1' : 'utf8')), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the functions it compiled are in the cache too; only a successful run writes it.
    process.once('exit', (code) => {
      if (code !== 0) return;
      const tmp = `${cachePath}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cachePath);
      } catch {
        rmSync(tmp, { force: true });
      }
    });
  }
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, `${ROOT}/build`);
  return /** @type {typeof import('../src/main')} */ (mod.exports);
}

module.exports = { build, ensureBuilt, fingerprint, loadSynth, statPrint };

if (require.main === module) {
  if (process.argv.includes('--at-install') && !hasEsbuild()) {
    process.stdout.write('obs-stack: esbuild (a devDependency) is not installed, so build/synth.js is not built; `npm run synth` needs a full `npm ci`\n');
  } else if (process.argv.includes('--force') || currentStamp(ROOT) === undefined) {
    build((m) => process.stdout.write(m));
  } else {
    process.stdout.write('obs-stack: build/synth.js is up to date\n');
  }
}
