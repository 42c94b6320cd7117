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
 * The bundle leaves out modules loaded at start-up that the synth never calls (LEFT_OUT_MODULES: the Grafana
 * SDK's dashboard v2 modules, cdk8s's YAML library) and takes tslib's CommonJS build: both cut what every
 * start loads. It also rewrites the Kubernetes types' JSON converters to fold in place (foldInPlace).
 *
 * The fingerprint covers the content of every file under src/ and imports/ (and their names, so an added
 * or removed file counts), package.json, tsconfig.json, this file, and npm's record of the installed
 * packages (node_modules/.package-lock.json), which changes with every install that changes a package.
 * So that a run need not read every input, a second record (build/synth.inputs.json) keeps a hash of the
 * inputs' names, sizes, inode numbers and change and modification times, taken just before their contents
 * were hashed, with that fingerprint. While the hash still matches, the inputs are taken as unchanged (as
 * git does with its index; the change time cannot be set back, so `touch -r` or `cp -p` cannot hide an
 * edit); otherwise the contents decide and the record is written anew. Times less than two seconds old are
 * never recorded (see statPrint). Only a build writes the stamp, and the record counts only for the
 * fingerprint the stamp holds, so a run that writes it while another run rebuilds cannot vouch for the
 * wrong bundle.
 *
 * The bundle is one function expression that calls itself with the module's arguments: `require` runs it as
 * any module (with `--enable-source-maps`, mapped to the sources by build/synth.js.map), and loadSynth
 * compiles the function alone (bundleSource), without the copy of the whole text that Node's module wrapper
 * makes. The build records in the stamp whether the bundle is all ASCII (esbuild escapes non-ASCII
 * characters except in regular expressions); then it is read as Latin-1, which is faster than decoding UTF-8.
 *
 * The first successful run after a build also saves V8's compiled code for the bundle
 * (build/synth.js.v8cache), which later runs load instead of compiling those functions again. V8 checks
 * the cache against the source and ignores one that does not match; it is then written anew.
 */
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

const ROOT = `${__dirname}/..`;
/** @param {string} root */
const bundleOf = (root) => `${root}/build/synth.js`;
/** @param {string} root */
const stampOf = (root) => `${root}/build/synth.stamp.json`;
/** @param {string} root */
const codeCacheOf = (root) => `${root}/build/synth.js.v8cache`;
/** @param {string} root */
const inputsRecordOf = (root) => `${root}/build/synth.inputs.json`;
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
  const files = inputFiles(root);
  for (const rel of files) add(rel, existsSync(`${root}/${rel}`) ? readFileSync(`${root}/${rel}`) : Buffer.from('<missing>'));
  if (!INSTALLED.some((rel) => files.includes(rel))) add('<no lockfile>', Buffer.alloc(0));
  return h.digest('hex');
}

/** Inputs changed this recently are not judged by their times (see statPrint). */
const RACY_NS = 2_000_000_000n;

/**
 * sha256 over the inputs' names, sizes, inode numbers and change and modification times (nanoseconds),
 * without reading them; `settled` when every one of those times is more than two seconds old. A file system
 * that keeps times in whole seconds (two, for FAT) gives a second edit within that time the same times, so
 * only settled times may vouch for contents (git's "racily clean" entries). The clock is this machine's:
 * on a network file system whose clock runs more than two seconds behind it, that protection is weaker.
 * @param {string} [root] the project folder
 * @returns {{ digest: string, settled: boolean }}
 */
function statPrint(root = ROOT) {
  const h = createHash('sha256');
  const recent = BigInt(Date.now()) * 1_000_000n - RACY_NS;
  let settled = true;
  for (const rel of inputFiles(root)) {
    const st = statSync(`${root}/${rel}`, { bigint: true, throwIfNoEntry: false });
    if (st !== undefined && (st.mtimeNs >= recent || st.ctimeNs >= recent)) settled = false;
    h.update(`${rel}\0${st === undefined ? '-' : `${st.size}\0${st.ino}\0${st.mtimeNs}\0${st.ctimeNs}`}\0`);
  }
  return { digest: h.digest('hex'), settled };
}

/**
 * @typedef {{ fingerprint: string, bundleBytes: number, ascii: boolean }} Stamp
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

/**
 * Writes a small JSON file under a temporary name, then renames it into place.
 * @param {string} path
 * @param {unknown} value
 */
function writeJson(path, value) {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Whether the record of the inputs' times vouches for `fingerprint`: taken for it, with the same times.
 * @param {string} root
 * @param {string} fingerprint
 * @param {{ digest: string }} stat
 */
function inputsRecorded(root, fingerprint, stat) {
  try {
    const record = JSON.parse(readFileSync(inputsRecordOf(root), 'utf8'));
    return record.fingerprint === fingerprint && record.stat === stat.digest;
  } catch {
    return false;
  }
}

/**
 * Records the inputs' times, taken before their contents were hashed to `fingerprint`, when they are
 * settled; else removes the record (best effort: a read-only checkout just compares contents every run).
 * @param {string} root
 * @param {string} fingerprint
 * @param {{ digest: string, settled: boolean }} stat
 */
function recordInputs(root, fingerprint, stat) {
  try {
    if (stat.settled) writeJson(inputsRecordOf(root), { fingerprint, stat: stat.digest });
    else rmSync(inputsRecordOf(root), { force: true });
  } catch { /* read-only */ }
}

/**
 * The stamp when build/synth.js matches the current inputs, else `undefined`: by the record of the inputs'
 * times when it vouches for the stamp's fingerprint, else by their contents (recording their times when
 * they match).
 * @param {string} root
 * @returns {Stamp | undefined}
 */
function currentStamp(root) {
  const stamp = readStamp(root);
  if (stamp === undefined) return undefined;
  const stat = statPrint(root);
  if (inputsRecorded(root, stamp.fingerprint, stat)) return stamp;
  if (stamp.fingerprint !== fingerprint(root)) return undefined;
  recordInputs(root, stamp.fingerprint, stat);
  return stamp;
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
 * Modules the bundle replaces, by the package that loads them and the name it loads them by. Each is loaded
 * at start-up and never called by the synth; each is replaced by a module with the same export names, every
 * one a function that throws, naming this list, if it is ever called.
 * @type {ReadonlyArray<{ importer: string, request: RegExp, why: string }>}
 */
const LEFT_OUT_MODULES = [
  {
    // About a seventh of the bundle: every panel and query module of the SDK loads them for its v2 builders.
    importer: '/@grafana/grafana-foundation-sdk/',
    request: /^(?:\.\.\/dashboardv2(?:beta1)?|\.\/(?:visualization|query)V2Builder\.gen)$/,
    why: "the Grafana SDK's dashboard v2 schemas and builders: build v1 dashboards (src/lib/dashboards.ts)",
  },
  {
    // 167 KiB: cdk8s's Yaml class, for `app.synth()`, Helm and Include; the synth writes its own YAML (src/lib/yaml.ts).
    importer: '/cdk8s/lib/yaml.js',
    request: /^yaml$/,
    why: "cdk8s's YAML library: the synth writes YAML with src/lib/yaml.ts, not with cdk8s's Yaml or app.synth()",
  },
];

/**
 * The Kubernetes types' JSON converters (cdk8s-plus-28/lib/imports/k8s.js, generated; each object is
 * converted when it is constructed and again when it is synthesized) drop undefined properties by folding
 * an object's entries into a copy made at every step, `({ ...r, [i[0]]: value })`: quadratic in the number
 * of keys, and much of the garbage of a synth. The bundle folds into one object instead (SET_ENTRY: the same
 * keys in the same order; a key the object would inherit, `__proto__` or `constructor`, is defined on it as
 * the spread does, so no prototype setter or frozen prototype is involved). A converter of another form is
 * left as it is; the bundle's test checks that none is.
 */
const K8S_TYPES = /[\\/]cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/;
const SPREAD_FOLD = /\(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.*?) \}\), \{\}\)/g;
const SET_ENTRY = 'function __obsStackSetEntry(r, k, v) { if (k in r) Object.defineProperty(r, k, { value: v, writable: true, enumerable: true, configurable: true }); else r[k] = v; return r; }';

/** The bundle's first line, and what follows the function it opens (see bundleTo). */
const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const BUNDLE_CALL = '.call(this, exports, require, module, __filename, __dirname);';

/**
 * The text loadSynth compiles from the bundle's bytes: the bundle's function, without the call that makes
 * it a module.
 * @param {Buffer} bytes
 * @param {boolean} ascii whether the bytes are all ASCII (read as Latin-1, which is faster than decoding UTF-8)
 * @returns {string}
 */
function bundleSource(bytes, ascii) {
  const call = bytes.lastIndexOf(BUNDLE_CALL);
  if (call < 0 || bytes.indexOf(BUNDLE_HEAD) !== 0) throw new Error('build/synth.js is not a bundle this build script made: run `npm run build:synth`');
  return bytes.toString(ascii ? 'latin1' : 'utf8', 0, call);
}

/** @type {import('esbuild').Plugin} */
const foldInPlace = {
  name: 'fold-k8s-converters-in-place',
  setup(b) {
    b.onLoad({ filter: K8S_TYPES }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return { loader: 'js', contents: `${source.replace(SPREAD_FOLD, '(i[1] === undefined) ? r : __obsStackSetEntry(r, i[0], $1), {})')}\n${SET_ENTRY}\n` };
    });
  },
};

/** @type {import('esbuild').Plugin} */
const leaveOut = {
  name: 'leave-out-unused-modules',
  setup(b) {
    for (const { importer, request, why } of LEFT_OUT_MODULES) {
      b.onResolve({ filter: request }, (args) => {
        if (!args.importer.includes(importer)) return undefined;
        return { path: require.resolve(args.path, { paths: [args.resolveDir] }), namespace: 'left-out', pluginData: why };
      });
    }
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      const names = Object.keys(require(args.path)).filter((n) => n !== '__esModule' && n !== 'default').sort();
      const message = `obs-stack's bundle leaves out ${args.path.replace(/.*\/node_modules\//, '')} (LEFT_OUT_MODULES in scripts/build.js), ${args.pluginData}; or take it off that list`;
      return {
        loader: 'js',
        contents: `'use strict';const leftOut=()=>{throw new Error(${JSON.stringify(message)})};${names.map((n) => `exports[${JSON.stringify(n)}]=leftOut;`).join('')}`,
      };
    });
  },
};

/**
 * Bundles src/main.ts in `root` into `outfile` (and its source map). Run in a child process by build():
 * plugins need esbuild's asynchronous API.
 * @param {string} root
 * @param {string} outfile
 */
async function bundleTo(root, outfile) {
  /** @type {typeof import('esbuild')} */
  const esbuild = require('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Comments out: a third less to read and parse, and an all-Latin-1 source V8 keeps as one-byte text.
    minifyWhitespace: true,
    // The Grafana SDK's CommonJS files each require tslib; its ES module build (the one esbuild would pick)
    // is then copied into a fresh exports object on every require, several hundred times per start.
    alias: { tslib: 'tslib/tslib.js' },
    plugins: [leaveOut, foldInPlace],
    // One function expression that calls itself: `require` runs it as any module; loadSynth compiles it up to
    // the call (bundleSource), without the copy that wrapping 1.8 MB of text in Node's module wrapper makes.
    banner: { js: BUNDLE_HEAD },
    // The map's name as build() renames it (esbuild's own comment would name the temporary file).
    footer: { js: `})${BUNDLE_CALL}\n//# sourceMappingURL=synth.js.map` },
    // For `node --enable-source-maps scripts/synth.js` when a stack trace should name the TypeScript lines.
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'error',
  });
  // esbuild would put an entry point's hashbang line above the banner, where loadSynth cannot compile it.
  if (readFileSync(outfile, 'latin1').startsWith('#!')) {
    throw new Error(`${root}/src/main.ts starts with a hashbang line (#!): remove it; scripts/synth.js is the command`);
  }
}

/**
 * Bundles src/main.ts into build/synth.js (written under a temporary name, then renamed into place, so a
 * concurrent run never reads half a file).
 * @param {(message: string) => void} report
 * @param {string} [root] the project folder
 */
function build(report, root = ROOT) {
  if (!hasEsbuild()) {
    throw new Error('build/synth.js is missing or out of date, and esbuild (a devDependency) is not installed to rebuild it: run `npm ci`');
  }
  const start = process.hrtime.bigint();
  const stat = statPrint(root);
  const fp = fingerprint(root);
  const bundle = bundleOf(root);
  mkdirSync(`${root}/build`, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  /** @type {Stamp} */
  let stamp;
  try {
    // Loaded here only: a run that does not rebuild spends no time on child_process.
    const { spawnSync } = require('node:child_process');
    const child = spawnSync(process.execPath, [__filename, '--bundle-to', root, tmp], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`bundling ${root}/src/main.ts failed:\n${child.error?.message ?? child.stderr}`);
    const bytes = readFileSync(tmp);
    stamp = { fingerprint: fp, bundleBytes: bytes.length, ascii: isAscii(bytes) };
    renameSync(`${tmp}.map`, `${bundle}.map`);
    renameSync(tmp, bundle);
    rmSync(codeCacheOf(root), { force: true });
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.map`, { force: true });
  }
  writeJson(stampOf(root), stamp);
  // Times taken before the contents: an edit during the build moves a time, and the next run compares contents.
  recordInputs(root, fp, stat);
  report(`obs-stack: built build/synth.js in ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms\n`);
  return stamp;
}

/**
 * Path of a build/synth.js that matches the current sources, rebuilding it first when it does not.
 * @param {string} [root] the project folder
 * @param {(message: string) => void} [report] where the "built ..." line goes
 * @returns {string}
 */
function ensureBuilt(root = ROOT, report = (m) => { process.stderr.write(m); }) {
  readyStamp(root, report);
  return bundleOf(root);
}

/**
 * The stamp of a build/synth.js that matches the current sources, rebuilding it first when it does not.
 * @param {string} root
 * @param {(message: string) => void} report
 * @returns {Stamp}
 */
function readyStamp(root, report) {
  return currentStamp(root) ?? build(report, root);
}

/**
 * Whether loadSynth holds V8's young generation at its first size while the bundle initializes: on V8 11
 * (Node 20, where it was measured), unless the command line or NODE_OPTIONS sets a semi-space flag (either
 * spelling) or freezes V8's flags (`--freeze-flags-after-init`: changing one then aborts the process).
 * @param {string} v8Version
 * @param {readonly string[]} execArgv
 * @param {string | undefined} nodeOptions
 */
function holdsYoungGeneration(v8Version, execArgv, nodeOptions) {
  return v8Version.startsWith('11.') && !/semi[-_]space|freeze[-_]flags/.test(`${execArgv.join(' ')} ${nodeOptions ?? ''}`);
}

/**
 * A whole file's bytes: read into `buffer` when the file fits there, into a buffer of its own otherwise.
 * @param {string} path
 * @param {Buffer} buffer
 * @returns {Buffer}
 */
function readWhole(path, buffer) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const into = size <= buffer.length ? buffer : Buffer.allocUnsafeSlow(size);
    let length = 0;
    for (let n; length < size && (n = readSync(fd, into, length, size - length, null)) > 0;) length += n;
    return into.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The compiled src/main.ts module, run from V8's code cache when there is a matching one.
 *
 * V8 grows its young generation while the bundle's modules initialize, since nearly everything they allocate
 * survives. Held at its first size (1 MiB per semi-space) for that part, it starts the synth small and grows
 * from there as usual: on Node 20 a run of one environment takes about 7% less time and 7 MiB less peak
 * memory, with some 2,000 fewer page faults; runs of many environments, whose garbage dies young, are no
 * slower. Only where holdsYoungGeneration says so. V8 hashes the flags that differ from their defaults into
 * its code cache, so the cache is made with the default back in place, or every later run would reject it.
 * Figures: README, Performance.
 * @param {string} [root] the project folder
 * @returns {typeof import('../src/main')}
 */
function loadSynth(root = ROOT) {
  const stamp = readyStamp(root, (m) => { process.stderr.write(m); });
  const file = bundleOf(root);
  const cachePath = codeCacheOf(root);
  const holdYoung = holdsYoungGeneration(process.versions.v8, process.execArgv, process.env.NODE_OPTIONS);
  const growAsUsual = () => { if (holdYoung) setFlagsFromString('--semi-space-growth-factor=2'); };
  // Source-mapped stack traces (--enable-source-maps, on the command line or in NODE_OPTIONS) need Node's own loader.
  if (process.sourceMapsEnabled) return require(file);
  // One buffer for both files: the bundle's text is copied out of it before the code cache is read over it, so
  // the second read touches no new memory (on a virtual machine, page faults are most of what a read costs).
  let cacheSize = 0;
  try { cacheSize = statSync(cachePath).size; } catch { /* none yet */ }
  const buffer = Buffer.allocUnsafeSlow(Math.max(stamp.bundleBytes, cacheSize));
  const source = bundleSource(readWhole(file, buffer), stamp.ascii);
  /** @type {Buffer | undefined} */
  let cachedData;
  try { cachedData = cacheSize > 0 ? readWhole(cachePath, buffer) : undefined; } catch { /* none */ }
  const script = new Script(source, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the functions it compiled are in the cache too; only a successful run writes it.
    process.once('exit', (code) => {
      if (code !== 0) return;
      // The bundle's top level may exit while the young generation is held.
      growAsUsual();
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
  if (holdYoung) setFlagsFromString('--semi-space-growth-factor=1');
  try {
    script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, `${root}/build`);
  } finally {
    growAsUsual();
  }
  return /** @type {typeof import('../src/main')} */ (mod.exports);
}

module.exports = { build, bundleSource, bundleTo, ensureBuilt, fingerprint, holdsYoungGeneration, loadSynth, statPrint };

if (require.main === module && process.argv[2] === '--bundle-to') {
  bundleTo(process.argv[3], process.argv[4]).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
} else if (require.main === module) {
  if (process.argv.includes('--at-install') && !hasEsbuild()) {
    process.stdout.write('obs-stack: esbuild (a devDependency) is not installed, so build/synth.js is not built; `npm run synth` needs a full `npm ci`\n');
  } else if (process.argv.includes('--force') || currentStamp(ROOT) === undefined) {
    build((m) => process.stdout.write(m));
  } else {
    process.stdout.write('obs-stack: build/synth.js is up to date\n');
  }
}
