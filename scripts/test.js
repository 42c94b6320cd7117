// @ts-check
'use strict';
/**
 * `npm test`: the type-check, the jest suite and the example services' checks, run side by side (they do
 * not depend on each other) so a two-core machine is kept busy. Each task's output is printed as one block
 * when it ends; the exit code is 1 if any task failed. Arguments go to the root jest run
 * (`npm test -- test/config` runs the type-check, those tests and the example services' checks).
 *
 * Tasks:
 *   typecheck  tsc --noEmit over src, test, imports, scripts and the example services' src and test, in one
 *              program (incremental: node_modules/.cache/obs-stack)
 *   jest       the root test suite
 *   demo       the example services: the build their tests start (tsc), then their jest suite (it starts
 *              the services as processes and waits for them with timeouts of a few seconds; on a machine
 *              that is very busy already, `npm run test:demo` runs it alone)
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const CACHE = join(ROOT, 'node_modules', '.cache', 'obs-stack');
const DEMO = join(ROOT, 'services', 'demo');

/**
 * Runs the steps of one task one after another in a child process each; resolves with the collected output.
 * @param {string} name
 * @param {Array<[string, string[], string]>} steps command, arguments, working directory
 * @returns {Promise<{ name: string, ok: boolean, output: string, seconds: number }>}
 */
function task(name, steps) {
  const start = process.hrtime.bigint();
  let output = '';
  const next = (/** @type {number} */ i) => new Promise((resolve) => {
    if (i === steps.length) return resolve(true);
    const [cmd, args, cwd] = steps[i];
    const child = spawn(cmd, args, { cwd, env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (e) => { output += `${cmd}: ${e.message}\n`; resolve(false); });
    child.on('close', (code) => {
      if (code !== 0) { output += `${[cmd, ...args].join(' ')} exited with ${code}\n`; resolve(false); } else resolve(next(i + 1));
    });
  });
  return next(0).then((ok) => ({ name, ok: Boolean(ok), output, seconds: Number(process.hrtime.bigint() - start) / 1e9 }));
}

async function main() {
  const tsc = join(BIN, 'tsc');
  const jest = join(BIN, 'jest');
  const args = process.argv.slice(2);
  // Two jest workers unless the caller chose (jest's default on two cores is one).
  const workers = args.some((a) => /^(-i|--runInBand|-w|--maxWorkers)/.test(a)) ? [] : ['--maxWorkers=2'];
  const tasks = [
    task('typecheck', [[tsc, ['-p', '.', '--noEmit', '--incremental', '--tsBuildInfoFile', join(CACHE, 'tsc-root.tsbuildinfo')], ROOT]]),
    task('jest', [[jest, [...workers, ...args], ROOT]]),
    task('demo', [
      [tsc, ['-p', 'tsconfig.build.json'], DEMO],
      [jest, [], DEMO],
    ]),
  ];
  const done = await Promise.all(tasks.map((t) => t.then((r) => {
    process.stdout.write(`\n── ${r.name} (${r.seconds.toFixed(1)} s, ${r.ok ? 'ok' : 'FAILED'}) ──\n${r.output}`);
    return r;
  })));
  const failed = done.filter((r) => !r.ok).map((r) => r.name);
  process.stdout.write(`\nnpm test: ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} (${done.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(', ')})\n`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main();
