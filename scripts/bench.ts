/**
 * `npm run bench`: wall time, CPU time and peak memory of the main paths (median of several runs with the
 * range), one environment's synth against `helm template` of the same releases in the same run, the
 * install footprint and every environment's resource footprint. Not part of the tests: figures depend on
 * the machine and on what else runs on it, so every row records the load average around it.
 *
 *   npm run bench                   everything (the test suite once)
 *   npm run bench -- --quick        skip the test suite and the cdk8s CLI rows
 *   npm run bench -- --runs 9       runs per row (default 7; the 200-environment row and `npm test` use fewer)
 *
 * The Helm comparison needs the real helm at .tools/bin/helm and the chart archives
 * (`<chart>-<version>.tgz`) in the folder named by OBS_STACK_CHART_CACHE; without either, it says which is
 * missing and skips that row.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { ENVIRONMENTS } from '../src/config/environments';
import { formatBytes, formatCpu } from '../src/outputs/summary';
import { synthesize } from '../src/outputs/synthesize';

const ROOT = join(__dirname, '..');
const HELM = join(ROOT, '.tools', 'bin', 'helm');
const KUBE_VERSION = '1.30.0';
const ONE_ENV = 'dev';

interface Run { wall: number; cpu: number; rssMiB: number; stdout: string }
interface Row { label: string; runs: Run[]; load: [number, number]; note?: string }

/**
 * One run of `cmd` under GNU time: wall seconds, user+system CPU seconds, peak RSS of the largest process.
 * A failed run throws, unless `mayFail` (the test suite: its time counts whatever the verdict).
 */
function timeOnce(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, mayFail = false): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (is GNU time installed at /usr/bin/time?)`);
  if (r.status !== 0 && !mayFail) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const [user, sys, rssKb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMiB: rssKb / 1024, stdout: r.stdout };
}

const load1 = (): number => loadavg()[0];

/** One warm-up, then `runs` measured runs of each command, interleaved so that load changes hit all of them alike. */
function measure(specs: ReadonlyArray<{ label: string; cmd: string; args: readonly string[]; env?: NodeJS.ProcessEnv }>, runs: number): Row[] {
  const rows: Row[] = specs.map((s) => ({ label: s.label, runs: [], load: [load1(), 0] }));
  for (const s of specs) timeOnce(s.cmd, s.args, s.env);
  for (let i = 0; i < runs; i++) specs.forEach((s, j) => rows[j].runs.push(timeOnce(s.cmd, s.args, s.env)));
  for (const r of rows) r.load[1] = load1();
  // Each row as soon as it is measured, so a later failure loses nothing.
  for (const line of table(rows).slice(2)) process.stderr.write(`${line}\n`);
  return rows;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (s: number): string => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`);

function parseArgs(argv: readonly string[]): { quick: boolean; runs: number } {
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive whole number');
  return { quick: argv.includes('--quick'), runs };
}

/** The `helm template` commands for one synthesized environment's releases, or why there are none. */
function helmCommands(helmDir: string): { script: string; releases: number } | { missing: string } {
  if (!existsSync(HELM)) return { missing: `no helm at ${HELM} (the project's tooling extracts it at npm ci; until then there is nothing to compare with)` };
  const cache = process.env.OBS_STACK_CHART_CACHE;
  if (cache === undefined || cache === '') return { missing: 'OBS_STACK_CHART_CACHE is not set (the folder with the pinned chart archives, <chart>-<version>.tgz)' };
  const helmfile = load(readFileSync(join(helmDir, 'helmfile.yaml'), 'utf8')) as { releases: Array<{ name: string; namespace: string; chart: string; version: string; values: string[] }> };
  const lines: string[] = [];
  const absent: string[] = [];
  for (const r of helmfile.releases) {
    const archive = join(cache, `${r.chart.split('/').pop()}-${r.version}.tgz`);
    if (!existsSync(archive)) absent.push(archive);
    const values = r.values.map((v) => `-f '${join(helmDir, v)}'`).join(' ');
    lines.push(`'${HELM}' template '${r.name}' '${archive}' -n '${r.namespace}' ${values} --kube-version ${KUBE_VERSION} >/dev/null 2>&1 || { echo 'helm template ${r.name} failed' >&2; exit 1; }`);
  }
  if (absent.length > 0) return { missing: `chart archives missing from OBS_STACK_CHART_CACHE=${cache}: ${absent.join(', ')}` };
  return { script: lines.join('\n'), releases: helmfile.releases.length };
}

/** Packages (folders with a package.json directly under a node_modules) and bytes under `dir`. */
function installFootprint(dir: string): { packages: number; bytes: number } {
  let packages = 0;
  let bytes = 0;
  const walk = (d: string, underNodeModules: boolean): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (underNodeModules && !e.name.startsWith('@') && !e.name.startsWith('.') && existsSync(join(p, 'package.json'))) packages++;
        walk(p, e.name === 'node_modules' || (underNodeModules && e.name.startsWith('@')));
      } else if (e.isFile()) {
        bytes += statSync(p).size;
      }
    }
  };
  if (existsSync(dir)) walk(dir, true);
  return { packages, bytes };
}

function table(rows: readonly Row[]): string[] {
  const out = ['| what | median | min | max | CPU (median) | peak memory (median) | load before / after |', '|---|---:|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    const w = r.runs.map((x) => x.wall);
    out.push(`| ${r.label} | ${secs(median(w))} | ${secs(Math.min(...w))} | ${secs(Math.max(...w))} | ${secs(median(r.runs.map((x) => x.cpu)))} | ${Math.round(median(r.runs.map((x) => x.rssMiB)))} MiB | ${r.load[0].toFixed(1)} / ${r.load[1].toFixed(1)} |`);
  }
  return out;
}

function main(): void {
  const { quick, runs } = parseArgs(process.argv.slice(2));
  const cores = cpus().length;
  const started = { load: loadavg(), date: machineDate() };
  const out: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'obs-stack-bench-'));
  const helmHome = join(tmp, 'helm-home');
  const helmEnv = { ...process.env, HELM_CACHE_HOME: helmHome, HELM_CONFIG_HOME: helmHome, HELM_DATA_HOME: helmHome };
  const synth = (args: string[]): { cmd: string; args: string[] } => ({ cmd: process.execPath, args: [join('scripts', 'synth.js'), ...args] });
  const rows: Row[] = [];
  try {
    // Build first, so no timed run includes a rebuild.
    const b = spawnSync(process.execPath, [join('scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed:\n${b.stderr}`);

    // One environment against helm template of its releases, interleaved run by run.
    const oneOut = join(tmp, 'one');
    const one = { label: `\`npm run synth -- --env ${ONE_ENV}\``, ...synth(['--env', ONE_ENV, '--out', oneOut]) };
    timeOnce(one.cmd, one.args);
    const helm = helmCommands(join(oneOut, ONE_ENV, 'helm'));
    if ('missing' in helm) {
      out.push(`Helm comparison skipped: ${helm.missing}.`, '');
      rows.push(...measure([one], runs));
    } else {
      const [s, h] = measure([one, { label: `\`helm template\` of the same ${helm.releases} releases (helm ${helmVersion()})`, cmd: '/bin/sh', args: ['-c', helm.script], env: helmEnv }], runs);
      rows.push(s, h);
      const ratios = s.runs.map((r, i) => r.wall / h.runs[i].wall);
      const cpuRatios = s.runs.map((r, i) => r.cpu / h.runs[i].cpu);
      out.push(`One environment vs helm template, ${runs} interleaved pairs: synth / helm = **${median(ratios).toFixed(2)}** median wall-time ratio ` +
        `(range ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)}); CPU-time ratio ${median(cpuRatios).toFixed(2)} ` +
        `(${Math.min(...cpuRatios).toFixed(2)} to ${Math.max(...cpuRatios).toFixed(2)}). Target: at most 0.40.`, '');
    }

    rows.push(...measure([
      { label: '`npm run synth` (every environment and ArgoCD)', ...synth(['--out', join(tmp, 'full')]) },
      ...[10, 50].map((n) => ({ label: `synth of ${n} generated environments`, cmd: process.execPath, args: [join('scripts', 'bench-envs.js'), String(n), join(tmp, `n${n}`)] })),
    ], runs));
    rows.push(...measure([{ label: 'synth of 200 generated environments', cmd: process.execPath, args: [join('scripts', 'bench-envs.js'), '200', join(tmp, 'n200')] }], Math.min(runs, 3)));
    if (!quick) {
      rows.push(...measure([{ label: '`npx cdk8s synth --no-check-upgrade -o <tmp>`', cmd: 'npx', args: ['cdk8s', 'synth', '--no-check-upgrade', '-o', join(tmp, 'cli')], env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } }], runs));
      const before = load1();
      const test = timeOnce('npm', ['test', '--silent'], process.env, true);
      // scripts/test.js ends with "tests: N passed, M failed" (both suites).
      const verdict = /^tests: .*$/m.exec(test.stdout)?.[0] ?? 'no test count printed';
      rows.push({ label: `\`npm test\` (tsc, jest, example services), one run; ${verdict}`, runs: [test], load: [before, load1()] });
      for (const line of table(rows.slice(-1)).slice(2)) process.stderr.write(`${line}\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const ended = loadavg();
  const noisy = Math.max(started.load[0], ended[0], ...rows.flatMap((r) => r.load)) > cores / 2;
  const spreads = rows.filter((r) => r.runs.length > 1).map((r) => Math.max(...r.runs.map((x) => x.wall)) / Math.min(...r.runs.map((x) => x.wall)));
  const spread = spreads.length > 0 ? `largest max/min spread within a row ${Math.max(...spreads).toFixed(2)}x. ` : '';
  const cpu = cpus();
  const head = [
    `${started.date}: ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `${runs} run(s) per row after one warm-up (the 200-environment row ${Math.min(runs, 3)}).`,
    `Load average (1/5/15 min) at start ${started.load.map((l) => l.toFixed(2)).join(' / ')}, at end ${ended.map((l) => l.toFixed(2)).join(' / ')}; ` +
      spread +
      (noisy ? `**Noisy**: the 1-minute load exceeded half the ${cores} cores, so wall times are inflated; CPU times and the interleaved ratio are steadier.` : 'Quiet machine.'),
    '',
  ];
  const modules = installFootprint(join(ROOT, 'node_modules'));
  const demo = installFootprint(join(ROOT, 'services', 'demo', 'node_modules'));
  const mib = (b: number): string => `${Math.round(b / 2 ** 20)} MiB`;
  const install = ['', `Install: node_modules ${modules.packages} packages, ${mib(modules.bytes)}; services/demo/node_modules ${demo.packages} packages, ${mib(demo.bytes)}.`];

  const footprint = ['', 'Footprint: requests / limits (DaemonSets: one node).'];
  for (const s of synthesize(ENVIRONMENTS).summaries) {
    footprint.push('', `${s.environment}:`, '| component | cpu | memory |', '|---|---|---|');
    for (const c of s.components) {
      const per = c.scope === 'per-node' ? ' (per node)' : '';
      footprint.push(`| ${c.component}${per} | ${formatCpu(c.requests.cpu)} / ${formatCpu(c.limits.cpu)} | ${formatBytes(c.requests.memory)} / ${formatBytes(c.limits.memory)} |`);
    }
    const stack = s.components.filter((c) => c.component !== 'demo');
    const sum = (f: (c: (typeof stack)[number]) => number): number => stack.reduce((n, c) => n + f(c), 0);
    footprint.push(`| total | ${formatCpu(s.total.requests.cpu)} / ${formatCpu(s.total.limits.cpu)} | ${formatBytes(s.total.requests.memory)} / ${formatBytes(s.total.limits.memory)} |`);
    footprint.push(`| total without the example services | ${formatCpu(sum((c) => c.requests.cpu))} / ${formatCpu(sum((c) => c.limits.cpu))} | ${formatBytes(sum((c) => c.requests.memory))} / ${formatBytes(sum((c) => c.limits.memory))} |`);
  }
  process.stdout.write(`${[...head, ...out, ...table(rows), ...install, ...footprint].join('\n')}\n`);
}

/** Today's date (UTC) and the machine's `uptime` line, as the `date` and `uptime` commands print them. */
function machineDate(): string {
  const run = (cmd: string, args: string[]): string => spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  return `${run('date', ['-u', '+%Y-%m-%d %H:%M UTC'])} (uptime: ${run('uptime', [])})`;
}

function helmVersion(): string {
  const r = spawnSync(HELM, ['version', '--short'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown version';
}

main();
