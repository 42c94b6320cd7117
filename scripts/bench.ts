/**
 * `npm run bench`: wall time and peak memory of the main paths, each the median of RUNS runs (min, max),
 * plus the resource footprint of every environment. Not part of the tests; figures depend on the machine.
 *
 *   npm run bench                 everything
 *   npm run bench -- --quick      skip the test-suite and cdk8s CLI rows
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatBytes, formatCpu, summarize } from '../src/outputs/summary';
import { ENVIRONMENTS } from '../src/config/environments';
import { synthesize } from '../src/outputs/synthesize';

const RUNS = 5;

interface Measurement { label: string; times: number[]; peakRssKb: number[] }

/** Runs `cmd` once under GNU time; returns seconds and peak RSS (KiB) of the whole process tree's largest member. */
function timeOnce(cmd: string, args: string[]): { seconds: number; rssKb: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  return { seconds, rssKb: Number(lines[lines.length - 1]) };
}

function measure(label: string, cmd: string, args: string[], runs = RUNS): Measurement {
  timeOnce(cmd, args); // warm-up (file cache, tsx transform cache)
  const m: Measurement = { label, times: [], peakRssKb: [] };
  for (let i = 0; i < runs; i++) {
    const r = timeOnce(cmd, args);
    m.times.push(r.seconds);
    m.peakRssKb.push(r.rssKb);
  }
  return m;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s: number): string => `${s.toFixed(2)} s`;

function main(): void {
  const quick = process.argv.includes('--quick');
  const tmp = mkdtempSync(join(tmpdir(), 'obs-stack-bench-'));
  const rows: Measurement[] = [];
  try {
    rows.push(measure('npm run synth (all environments)', 'npm', ['run', '-s', 'synth', '--', '--out', join(tmp, 'full')]));
    for (const n of [1, 10, 50]) {
      rows.push(measure(`synth of ${n} generated environment(s)`, 'node_modules/.bin/tsx', ['scripts/bench-envs.ts', String(n), join(tmp, `n${n}`)]));
    }
    if (!quick) {
      rows.push(measure('npx cdk8s synth (CLI)', 'npx', ['cdk8s', 'synth', '--no-check-upgrade', '-o', join(tmp, 'cli')]));
      rows.push(measure('npm test (whole suite)', 'npm', ['test', '--silent']));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const cpu = cpus();
  const lines: string[] = [];
  lines.push(`Machine: ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${RUNS} runs after one warm-up.`, '');
  lines.push('| what | median | min | max | peak memory (median) |', '|---|---:|---:|---:|---:|');
  for (const r of rows) {
    lines.push(`| ${r.label} | ${fmt(median(r.times))} | ${fmt(Math.min(...r.times))} | ${fmt(Math.max(...r.times))} | ${Math.round(median(r.peakRssKb) / 1024)} MB |`);
  }
  lines.push('', 'Footprint: requests / limits (DaemonSets: one node).');
  for (const build of synthesize(ENVIRONMENTS).builds) {
    const s = summarize(build);
    lines.push('', `${s.environment}:`, '| component | cpu | memory |', '|---|---|---|');
    for (const c of s.components) {
      const per = c.scope === 'per-node' ? ' (per node)' : '';
      lines.push(`| ${c.component}${per} | ${formatCpu(c.requests.cpu)} / ${formatCpu(c.limits.cpu)} | ${formatBytes(c.requests.memory)} / ${formatBytes(c.limits.memory)} |`);
    }
    const stack = s.components.filter((c) => c.component !== 'demo');
    const sum = (f: (c: (typeof stack)[number]) => number) => stack.reduce((n, c) => n + f(c), 0);
    lines.push(`| total | ${formatCpu(s.total.requests.cpu)} / ${formatCpu(s.total.limits.cpu)} | ${formatBytes(s.total.requests.memory)} / ${formatBytes(s.total.limits.memory)} |`);
    lines.push(`| total without the example services | ${formatCpu(sum((c) => c.requests.cpu))} / ${formatCpu(sum((c) => c.limits.cpu))} | ${formatBytes(sum((c) => c.requests.memory))} / ${formatBytes(sum((c) => c.limits.memory))} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
