/**
 * External tools the checks run: promtool (Debian's `prometheus` package, which `.ci/run` installs) and
 * the project's own kubectl and helm (`.tools/bin/`, extracted at `npm ci`; never the machine's). Locally a
 * missing tool skips the tests that need it with a visible message; under CI=true those tests fail instead.
 */
import { spawnSync } from 'node:child_process';

export function hasTool(name: string, versionArgs: readonly string[] = ['--version']): boolean {
  const r = spawnSync(name, versionArgs, { encoding: 'utf8', timeout: 10_000 });
  return r.error === undefined && r.status === 0;
}

/**
 * `it` when the tool exists; else a failing test under CI, or a skipped one with a warning locally.
 * `install` says how the tool gets there.
 */
export function itWithTool(name: string, versionArgs: readonly string[] = ['--version'], install = '.ci/run must install it'): jest.It {
  if (hasTool(name, versionArgs)) return it;
  if (process.env.CI === 'true') {
    const fail = () => { throw new Error(`${name} is not installed; ${install}`); };
    const failing = (title: string) => it(title, fail);
    // `.each` too, so table tests fail rather than vanish
    failing.each = (table: readonly unknown[]) => (title: string) => it.each(table as unknown[][])(title, fail);
    return failing as unknown as jest.It;
  }
  console.warn(`SKIPPED: ${name} is not installed (${install}), so the checks that run it are skipped (they fail under CI=true).`);
  return it.skip;
}

export interface ToolResult {
  readonly ok: boolean;
  readonly output: string;
}

export function runTool(cmd: string, args: readonly string[], cwd?: string): ToolResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, timeout: 60_000 });
  if (r.error) return { ok: false, output: String(r.error) };
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
