/**
 * Jest globalSetup: starts rendering the Helm path in the background, so helm runs on the core the test
 * worker leaves idle (Jest runs one worker on two cores) while the other test files run; the sequencer
 * (sequencer.js) runs the rendered test last, and it reads the result (`awaitPrerender`). Started only
 * when the run includes that test file and helm and the charts are available; otherwise the test file
 * renders in-process or reports why it cannot.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmUnavailable } from '../helm-render';
import { PID_FILE, PRERENDER_ENV, RENDERED_TEST, matchesAny } from './shared';

export default function globalSetup(
  globalConfig: { nonFlagArgs?: readonly string[]; testPathPatterns?: { patterns?: readonly string[] } },
  projectConfig: { testPathIgnorePatterns?: readonly string[] },
): void {
  if (process.env[PRERENDER_ENV] !== undefined) return;
  const patterns = [...(globalConfig.nonFlagArgs ?? []), ...(globalConfig.testPathPatterns?.patterns ?? [])];
  const renderedTest = join(__dirname, '..', '..', '..', RENDERED_TEST);
  if (!matchesAny(patterns, renderedTest) || matchesAny((projectConfig.testPathIgnorePatterns ?? []).filter((p) => !p.includes('node_modules')), renderedTest, false)) return;
  if (helmUnavailable() !== undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-helm-'));
  const log = openSync(join(dir, 'log.txt'), 'w');
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'run.ts'), dir], { stdio: ['ignore', log, log], env: process.env });
  child.unref();
  writeFileSync(join(dir, PID_FILE), String(child.pid));
  process.env[PRERENDER_ENV] = dir;
}

/** Stops this run's background rendering if it still runs (its own process only) and removes its folder. */
export function teardown(): void {
  const dir = process.env[PRERENDER_ENV];
  if (dir === undefined) return;
  const pidFile = join(dir, PID_FILE);
  // run.ts removes the pid file when it ends, however it ends; a pid is only signalled while its command
  // line is still this folder's rendering (never a process that reused the number).
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(pid);
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
  delete process.env[PRERENDER_ENV];
}
