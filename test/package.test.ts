/**
 * The package as a user gets it: `npm pack`, installed into a fresh cdk8s app, `new ObservabilityStack(...)`,
 * `app.synth()`. Needs the compiled output (`npm test` builds it beside the tests) and the npm registry for the
 * package's own dependencies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { synthAll } from './support/synth';

const ROOT = join(__dirname, '..');
type Obj = { kind: string; metadata: { name: string; namespace?: string } };
const key = (o: Obj) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** The newest modification time of any file under `dir`. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newestSource(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
}
const byKey = (objs: Obj[]) => new Map(objs.filter((o) => o.kind !== 'Kustomization').map((o) => [key(o), o]));

describe('the packed package in a fresh cdk8s app', () => {
  let dir: string;
  beforeAll(async () => {
    // `npm test` compiles beside the tests (scripts/test.js) and says when it is done in the file named by
    // OBS_STACK_LIBRARY_BUILD; a run of this file alone compiles when the build is missing or older than src/.
    const done = process.env.OBS_STACK_LIBRARY_BUILD;
    if (done !== undefined) {
      while (!existsSync(done)) await new Promise((r) => setTimeout(r, 200));
      if (readFileSync(done, 'utf8') !== 'ok') throw new Error('the type-check (tsc -p .), which also builds the library this test packs, failed: see its output above');
    } else {
      const built = join(ROOT, 'build/src/index.d.ts');
      if (!existsSync(built) || newestSource(join(ROOT, 'src')) > statSync(built).mtimeMs) execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: ROOT, stdio: 'pipe' });
    }
    dir = mkdtempSync(join(tmpdir(), 'obs-stack-app-'));
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    const tarball = join(dir, (JSON.parse(packed) as Array<{ filename: string }>)[0].filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: dir, stdio: 'pipe' });
  }, 180_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  /** Writes `lines` as a cdk8s app whose App writes to `out`, runs it, and returns the objects it synthesized. */
  function synthApp(name: string, out: string, lines: readonly string[]): Array<Obj & { data?: Record<string, string> }> {
    writeFileSync(join(dir, name), ["const { App } = require('cdk8s');", "const { ObservabilityStack } = require('obs-stack');", `const app = new App({ outdir: '${out}' });`, ...lines, 'app.synth();'].join('\n'));
    execFileSync('node', [name], { cwd: dir, stdio: 'pipe' });
    return readdirSync(join(dir, out)).flatMap((f) => loadAll(readFileSync(join(dir, out, f), 'utf8')) as Obj[]);
  }

  test('GIVEN new ObservabilityStack(app, "dev", { profile: "dev" }) THEN app.synth() writes the objects of dist/dev/manifests', () => {
    const synthesized = synthApp('app.js', 'out', ["new ObservabilityStack(app, 'dev', { profile: 'dev' });"]);
    const expected = [...synthAll().files].filter(([p]) => p.startsWith('dev/manifests/')).flatMap(([, text]) => loadAll(text) as Obj[]);
    const got = byKey(synthesized);
    const want = byKey(expected);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, o] of want) expect([k, got.get(k)]).toEqual([k, o]);
  });

  test('its type declarations type-check a TypeScript app using the extension points, and a bad override fails with the field named', () => {
    writeFileSync(join(dir, 'app.ts'), [
      "import { App } from 'cdk8s';",
      "import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';",
      "import { ObservabilityStack, type StackOverrides } from 'obs-stack';",
      "const overrides: StackOverrides = {",
      "  prometheus: { retention: '30d', extraScrapeConfigs: [{ jobName: 'payments', staticConfigs: [{ targets: ['payments.example.com:9100'] }] }], pods: { nodeSelector: { pool: 'obs' } } },",
      "  alerts: { extraRuleGroups: [{ name: 'payments', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] }] },",
      "};",
      "new ObservabilityStack(new App(), 'prod', { profile: 'prod', overrides, dashboards: [new DashboardBuilder('Payments').uid('payments')] });",
    ].join('\n'));
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), '--skipLibCheck', 'app.ts'], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'bad.js'), [
      "const { App } = require('cdk8s');",
      "const { ObservabilityStack } = require('obs-stack');",
      "new ObservabilityStack(new App(), 'prod', { profile: 'prod', overrides: { prometheus: { retention: '-3d' } } });",
    ].join('\n'));
    let message = '';
    try { execFileSync('node', ['bad.js'], { cwd: dir, stdio: 'pipe' }); } catch (e) { message = String((e as { stderr: Buffer }).stderr); }
    expect(message).toMatch(/prometheus\.retention: "-3d"/);
  });

  test('a consumer adds a scrape job, a rule group and a Foundation SDK dashboard through the construct', () => {
    const objects = synthApp('extended.js', 'out-extended', [
      "const { DashboardBuilder } = require('@grafana/grafana-foundation-sdk/dashboard');",
      "new ObservabilityStack(app, 'obs', {",
      "  profile: 'prod',",
      "  overrides: {",
      "    prometheus: { extraScrapeConfigs: [{ jobName: 'payments', kubernetesSdConfigs: [{ role: 'pod', namespaces: { names: ['payments'] }, selector: { matchLabels: { app: 'payments' } }, port: 'metrics' }] }] },",
      "    alerts: { extraRuleGroups: [{ name: 'payments', rules: [{ alert: 'PaymentsDown', expr: 'up{job=\"payments\"} == 0', for: '5m' }] }] },",
      "  },",
      "  dashboards: [new DashboardBuilder('Payments').uid('payments')],",
      "});",
    ]);
    const cm = (name: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!;
    expect(cm('prometheus').data!['prometheus.yaml']).toContain('job_name: payments');
    expect(cm('prometheus-rules').data!['extra.rules.yaml']).toContain('alert: PaymentsDown');
    expect(JSON.parse(cm('grafana-dashboard-payments').data!['payments.json']).title).toBe('Payments');
    const egress = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'prometheus-egress') as unknown as { spec: { egress: unknown[] } };
    expect(JSON.stringify(egress.spec.egress)).toContain('"kubernetes.io/metadata.name":"payments"');
  });
});
