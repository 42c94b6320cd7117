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
 * sha256 over the inputs listed above.
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

/**
 * The fingerprint recorded with build/synth.js, if the bundle is there and is the file built with it.
 * @param {string} root
 * @returns {string | undefined}
 */
function recordedFingerprint(root) {
  try {
    const stamp = JSON.parse(readFileSync(stampOf(root), 'utf8'));
    return statSync(bundleOf(root)).size === stamp.bundleBytes ? stamp.fingerprint : undefined;
  } catch {
    return undefined;
  }
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
  writeFileSync(stampOf(root), `${JSON.stringify({ fingerprint: fp, bundleBytes: statSync(bundle).size }, null, 2)}\n`);
  report(`obs-stack: built build/synth.js in ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms\n`);
}

/**
 * Path of a build/synth.js that matches the current sources, rebuilding it first when it does not.
 * @param {string} [root] the project folder
 * @param {(message: string) => void} [report] where the "built ..." line goes
 * @returns {string}
 */
function ensureBuilt(root = ROOT, report = (m) => { process.stderr.write(m); }) {
  if (recordedFingerprint(root) !== fingerprint(root)) build(report, root);
  return bundleOf(root);
}

/**
 * The compiled src/main.ts module, run from V8's code cache when there is a matching one.
 * @returns {typeof import('../src/main')}
 */
function loadSynth() {
  const file = ensureBuilt();
  const cachePath = codeCacheOf(ROOT);
  // Source-mapped stack traces need Node's own loader.
  if (process.execArgv.some((a) => a.startsWith('--enable-source-maps'))) return require(file);
  /** @type {Buffer | undefined} */
  let cachedData;
  try { cachedData = readFileSync(cachePath); } catch { /* none yet */ }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
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

module.exports = { build, ensureBuilt, fingerprint, loadSynth };

if (require.main === module) {
  if (process.argv.includes('--at-install') && !hasEsbuild()) {
    process.stdout.write('obs-stack: esbuild (a devDependency) is not installed, so build/synth.js is not built; `npm run synth` needs a full `npm ci`\n');
  } else if (process.argv.includes('--force') || recordedFingerprint(ROOT) !== fingerprint(ROOT)) {
    build((m) => process.stdout.write(m));
  } else {
    process.stdout.write('obs-stack: build/synth.js is up to date\n');
  }
}
