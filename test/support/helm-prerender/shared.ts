/** What the background rendering (setup.ts, run.ts) and the rendered test share. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRendering } from '../helm-render';

/** Names the folder of this run's background rendering (set by globalSetup, inherited by the test worker). */
export const PRERENDER_ENV = 'OBS_STACK_HELM_PRERENDER';
/** The test file that reads the rendering, relative to the project root. */
export const RENDERED_TEST = 'test/outputs/helm/rendered.test.ts';
export const RESULT_FILE = 'result.json';
export const FAILED_FILE = 'failed.txt';
export const PID_FILE = 'pid';

/** Whether one of these path patterns (regular expressions, as Jest takes them) matches `path`; `whenNone` when there are none. */
export function matchesAny(patterns: readonly string[], path: string, whenNone = true): boolean {
  if (patterns.length === 0) return whenNone;
  return patterns.some((p) => {
    try {
      return new RegExp(p).test(path);
    } catch {
      return path.includes(p);
    }
  });
}

/** False once the rendering process is known to be gone without a result (on Linux, where /proc tells). */
function stillRunning(dir: string): boolean {
  const pidFile = join(dir, PID_FILE);
  if (!existsSync(pidFile) || !existsSync('/proc')) return true;
  const pid = readFileSync(pidFile, 'utf8');
  return existsSync(`/proc/${pid}`) || existsSync(join(dir, RESULT_FILE));
}

/**
 * This run's background rendering, once it is done: undefined when none was started or it failed (the
 * caller then renders in-process and meets the same error, if any).
 */
export async function awaitPrerender(timeoutMs: number): Promise<TestRendering | undefined> {
  const dir = process.env[PRERENDER_ENV];
  if (dir === undefined) return undefined;
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (existsSync(join(dir, RESULT_FILE))) return JSON.parse(readFileSync(join(dir, RESULT_FILE), 'utf8')) as TestRendering;
    if (existsSync(join(dir, FAILED_FILE)) || !existsSync(dir) || !stillRunning(dir)) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
