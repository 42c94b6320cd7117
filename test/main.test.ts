import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS } from '../src/config/environments';
import type { EnvironmentDefinition } from '../src/config/types';
import { main, run } from '../src/main';
import { MANIFEST_FILE } from '../src/outputs/output-folder';
import { snapshot, snapshotDiff } from './support/fs-faults';

/** Runs the command line program; returns the exit code and what it printed. */
function cli(argv: string[], environments: readonly EnvironmentDefinition[] = ENVIRONMENTS): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, environments, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
  return { code, stdout, stderr };
}

const STAGING: EnvironmentDefinition = {
  name: 'staging', profile: 'prod', overrides: { argocd: { destinationServer: 'https://staging.k8s.example.com:6443' } },
};

describe('npm run synth', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'obs-stack-main-')));
    out = join(dir, 'dist');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('writes every environment into its own folder, the ArgoCD Applications and the ownership record', () => {
    expect(run(['--out', out])).toMatch(/obs-stack: synthesized dev, prod, large \(\d+ files\); updated in ".*": argocd\/apps\/dev\.yaml, .*, \.obs-stack-manifest\.json\n$/);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'argocd', 'dev', 'large', 'prod']);
    expect(readdirSync(join(out, 'dev', 'manifests'))).toContain('prometheus.yaml');
    expect(run(['--out', out])).toMatch(/".*" was already up to date\n$/);
  });

  test('--env X into an empty folder writes X and its Applications (the root only with the first environment)', () => {
    run(['--out', out, '--env', 'prod']);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'argocd', 'prod']);
    expect(readdirSync(join(out, 'argocd')).sort()).toEqual(['apps', 'helm']);
    expect(readdirSync(join(out, 'argocd', 'apps'))).toEqual(['prod.yaml']);
    expect(readdirSync(join(out, 'argocd', 'helm'))).toEqual(['prod']);
    run(['--out', out, '--env', 'dev']);
    expect(readdirSync(join(out, 'argocd')).sort()).toEqual(['apps', 'helm', 'root.yaml']);
  });

  test('--env X rewrites everything of X, argocd/ entries included, and leaves every other environment\'s file untouched', () => {
    run(['--out', out]);
    const before = snapshot(out);
    const changed = ENVIRONMENTS.map((e) => (e.name === 'prod'
      ? { ...e, overrides: { ...e.overrides, argocd: { ...e.overrides?.argocd, targetRevision: 'release-2' }, helm: { enabled: false } } } : e));
    run(['--out', out, '--env', 'prod'], changed);
    const diff = snapshotDiff(before, snapshot(out));
    const prodPaths = /^(gone|changed|new): (prod\/|argocd\/apps\/prod\.yaml$|argocd\/helm\/prod(\/|$)|\.obs-stack-manifest\.json$)/;
    expect(diff.filter((d) => !prodPaths.test(d))).toEqual([]);
    expect(diff).toContain('changed: argocd/apps/prod.yaml');
    expect(diff).toContain('gone: argocd/helm/prod');
    expect(diff).toContain('gone: prod/helm');
    expect(readFileSync(join(out, 'argocd/apps/prod.yaml'), 'utf8')).toContain('targetRevision: release-2');
    // The same config as a full synth: the record and every file agree.
    const full = join(dir, 'full');
    run(['--out', full], changed);
    expect(snapshotDiff(snapshot(full), snapshot(out))).toEqual([]);
  });

  test('--env X runs the checks across environments against every environment of the project', () => {
    const twin: EnvironmentDefinition = { name: 'twin', profile: 'dev' };
    const r = cli(['--out', out, '--env', 'twin'], [...ENVIRONMENTS, twin]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('environments.twin.argocd.destinationServer: "https://kubernetes.default.svc" deploys namespace "observability" (common.namespace) to the same cluster as environment "dev"');
    const sameClusterOtherSpelling: EnvironmentDefinition = { name: 'twin', profile: 'dev', overrides: { argocd: { destinationServer: 'https://KUBERNETES.default.svc:443/' } } };
    expect(cli(['--out', out, '--env', 'twin'], [...ENVIRONMENTS, sameClusterOtherSpelling]).stderr).toContain('to the same cluster as environment "dev"');
    const otherRepo: EnvironmentDefinition = { ...STAGING, overrides: { ...STAGING.overrides, argocd: { ...STAGING.overrides!.argocd, repoURL: 'https://git.example.com/fork.git' } } };
    expect(cli(['--out', out, '--env', 'staging'], [...ENVIRONMENTS, otherRepo]).stderr)
      .toContain('environments.staging.argocd.repoURL: "https://git.example.com/fork.git" differs from "https://git.example.com/platform/obs-stack.git" (environment "dev")');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('fails on a bad config before writing anything, leaving the previous output untouched', () => {
    run(['--out', out]);
    const before = snapshot(out);
    const broken = [{ name: 'dev', profile: 'dev' as const, overrides: { prometheus: { retention: 'forever' } } }];
    const r = cli(['--out', out], broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^obs-stack: synth failed, nothing was written\.\nenvironment "dev" has 1 configuration error\(s\):\n {2}- prometheus\.retention: "forever" is not a duration/);
    expect(snapshotDiff(before, snapshot(out))).toEqual([]);
  });

  test('a refusal found after environments were staged (an immutable change in prod) leaves the previous output byte-identical, with no transaction folder left', () => {
    run(['--out', out]);
    const before = snapshot(out);
    const bigger = ENVIRONMENTS.map((e) => (e.name === 'prod' ? { ...e, overrides: { ...e.overrides, prometheus: { storage: { persistent: true, size: '80Gi' } } } } : e));
    const changedDev = bigger.map((e) => (e.name === 'dev' ? { ...e, overrides: { ...e.overrides, common: { clusterName: 'another' } } } : e));
    const r = cli(['--out', out], changedDev);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^obs-stack: synth failed, nothing was written\.\nprod: .*immutable: StatefulSet observability\/prometheus/s);
    expect(snapshotDiff(before, snapshot(out))).toEqual([]);
    expect(readdirSync(out)).not.toContain('.obs-stack-txn');
  });

  test.each([
    [['--env', 'qa'], 'unknown environment "qa"; known environments: "dev", "prod", "large"'],
    [['--env', '5'], 'unknown environment "5"; known environments: "dev", "prod", "large"'],
    [['--env', 'pr\u202eod'], 'unknown environment "pr\\u202eod"'],
    [['--env='], '--env needs an environment name, e.g. --env prod'],
    [['--env'], '--env needs a value'],
    [['--env', '--out', 'x'], '--env needs a value'],
    [['--outdir', 'x'], 'unknown argument "--outdir"; use --env <name> (repeatable), --out <folder> or --allow-replace'],
    [['--out', 'a', '--out=b'], '--out is given twice ("a" and "b"); give one output folder'],
    [['--out='], '--out needs a folder, e.g. --out dist'],
    [['prod'], 'unknown argument "prod"'],
  ])('refuses the arguments %j with a message naming them and the fix', (argv, message) => {
    const r = cli(argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/^obs-stack: synth failed, nothing was written\.\n/);
    expect(r.stderr).toContain('usage: npm run synth -- [--env <name>]... [--out <folder>]');
  });

  test('refuses an environment list with a number or nothing where an environment belongs, naming where', () => {
    const r = cli(['--out', out], [...ENVIRONMENTS, { name: 5 } as unknown as EnvironmentDefinition, null as unknown as EnvironmentDefinition]);
    expect(r.stderr).toContain('environment "environments[3]" has 2 configuration error(s):\n  - environments[3].name: 5 must be a string; use a DNS label such as "staging"');
    expect(r.stderr).toContain('environment "environments[4]" has 1 configuration error(s):\n  - environments[4]: null must be an object');
    const nullOverrides = cli(['--out', out], [{ ...ENVIRONMENTS[0], overrides: null as unknown as undefined }]);
    expect(nullOverrides.stderr).toContain('environment "dev" has 1 configuration error(s):\n  - environments.dev.overrides: null must be an object; write the overrides as an object');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('output folder refusals say so, and that nothing was written', () => {
    const r = cli(['--out', '.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('obs-stack: synth failed: refusing to write into --out ".": it is the current folder, and synth replaces an output folder\'s ' +
      'whole content; choose a folder of its own, e.g. --out dist (the default). Nothing was written.\n');
  });

  test('CDK8S_OUTDIR gives the folder when --out does not, and is named in messages', () => {
    const saved = process.env.CDK8S_OUTDIR;
    try {
      process.env.CDK8S_OUTDIR = '/';
      expect(cli([]).stderr).toContain('refusing to write into CDK8S_OUTDIR="/": it is the file system root');
      process.env.CDK8S_OUTDIR = out;
      expect(cli(['--env', 'dev']).code).toBe(0);
      expect(readdirSync(out)).toContain('dev');
    } finally {
      if (saved === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = saved;
    }
  });
});
