// @ts-check
'use strict';
/**
 * `npm test`: the type-check, the jest suite and the example services' checks, run side by side (they do
 * not depend on each other) so a two-core machine is kept busy. Each task's output is printed as one block
 * when it ends; the last lines are each task's time and the count of tests passed and failed; the exit
 * code is 1 if any task failed. Arguments go to the root jest run (`npm test -- test/config` runs the
 * type-check, those tests and the example services' checks).
 *
 * Tasks:
 *   typecheck  tsc over src, test, imports, scripts and the example services' tests, in one program; it also
 *              emits the library into build/ (what `npm pack` ships, which test/package.test.ts installs:
 *              that test waits for this task through OBS_STACK_LIBRARY_BUILD). Incremental: the next run
 *              re-checks only what changed (node_modules/.cache/obs-stack).
 *   jest       the root test suite, two workers
 *   demo       the example services: their build (tsc, incremental), then their jest suite (it starts the services as
 *              processes and waits for them with timeouts of a few seconds; on a machine that is very busy
 *              already, `npm run test:demo` runs it alone)
 */
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const CACHE = join(ROOT, 'node_modules', '.cache', 'obs-stack');
const DEMO = join(ROOT, 'services', 'demo');
/** Names the file the typecheck task writes its exit code into (read by test/package.test.ts). */
const LIBRARY_BUILD_ENV = 'OBS_STACK_LIBRARY_BUILD';

/**
 * @typedef {{ name: string, ok: boolean, output: string, seconds: number }} TaskResult
 * @typedef {[string, string[], string]} Step command, arguments, working directory
 */

/**
 * Runs the steps of one task one after another in a child process each; resolves with the collected output.
 * @param {string} name
 * @param {Step[]} steps
 * @param {NodeJS.ProcessEnv} env
 * @param {(ok: boolean) => void} [onEnd]
 * @returns {Promise<TaskResult>}
 */
function task(name, steps, env, onEnd = () => undefined) {
  const start = process.hrtime.bigint();
  let output = '';
  /** @param {number} i @returns {Promise<boolean>} */
  const next = (i) => new Promise((resolve) => {
    if (i === steps.length) return resolve(true);
    const [cmd, args, cwd] = steps[i];
    const child = spawn(cmd, args, { cwd, env: { ...env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (e) => { output += `${cmd}: ${e.message}\n`; resolve(false); });
    child.on('close', (code) => {
      if (code !== 0) { output += `${[cmd, ...args].join(' ')} exited with ${code}\n`; resolve(false); } else resolve(next(i + 1));
    });
  });
  return next(0).then((ok) => {
    onEnd(ok);
    return { name, ok, output, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
  });
}

/**
 * Tests passed and failed, from jest's summary line ("Tests:       2 failed, 1650 passed, 1652 total").
 * @param {string} output
 */
function jestCounts(output) {
  const line = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.startsWith('Tests:'));
  const count = (/** @type {string} */ what) => Number(new RegExp(`(\\d+) ${what}`).exec(line ?? '')?.[1] ?? 0);
  return { found: line !== undefined, passed: count('passed'), failed: count('failed') };
}

async function main() {
  const tsc = join(BIN, 'tsc');
  const jest = join(BIN, 'jest');
  const args = process.argv.slice(2);
  // Two jest workers unless the caller chose (jest's default on two cores is one).
  const workers = args.some((a) => /^(-i|--runInBand|-w|--maxWorkers)/.test(a)) ? [] : ['--maxWorkers=2'];
  mkdirSync(CACHE, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'obs-stack-test-'));
  const libraryBuild = join(scratch, 'library-build');
  const env = { ...process.env, [LIBRARY_BUILD_ENV]: libraryBuild };
  const tasks = [
    task('typecheck', [[tsc, ['-p', '.', '--incremental', '--tsBuildInfoFile', join(CACHE, 'tsc-root.tsbuildinfo')], ROOT]], env,
      (ok) => writeFileSync(libraryBuild, ok ? 'ok' : 'failed')),
    task('jest', [[jest, [...workers, ...args], ROOT]], env),
    // Incremental too; its record lives in the output folder, so removing services/demo/dist rebuilds everything.
    task('demo', [[tsc, ['-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', join(DEMO, 'dist', '.tsbuildinfo')], DEMO], [jest, [], DEMO]], env),
  ];
  const done = await Promise.all(tasks.map((t) => t.then((r) => {
    process.stdout.write(`\n── ${r.name} (${r.seconds.toFixed(1)} s, ${r.ok ? 'ok' : 'FAILED'}) ──\n${r.output}`);
    return r;
  })));
  rmSync(scratch, { recursive: true, force: true });
  const failed = done.filter((r) => !r.ok).map((r) => r.name);
  const counts = done.map((r) => jestCounts(r.output)).filter((c) => c.found);
  const passed = counts.reduce((n, c) => n + c.passed, 0);
  const failedTests = counts.reduce((n, c) => n + c.failed, 0);
  process.stdout.write(`\nnpm test: ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} (${done.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(', ')})\n` +
    `tests: ${passed} passed, ${failedTests} failed\n`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main();
