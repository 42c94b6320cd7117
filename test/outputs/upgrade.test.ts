import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS } from '../../src/config/environments';
import { main } from '../../src/main';
import { dump, loadAll } from 'js-yaml';
import { formatPlan, planUpgrade } from '../../src/outputs/upgrade';
import { synthAll } from '../support/synth';

type Doc = Record<string, any>;

/** prod's manifests as they are synthesized now (path → YAML). */
function prodManifests(): Map<string, string> {
  return new Map([...synthAll().files].filter(([p]) => p.startsWith('prod/manifests/')));
}

/** `files` with one object changed by `edit` (found by kind and name). */
function edited(files: ReadonlyMap<string, string>, kind: string, name: string, edit: (o: Doc) => void): Map<string, string> {
  const out = new Map(files);
  for (const [path, text] of files) {
    const docs = loadAll(text) as Doc[];
    const target = docs.find((d) => d?.kind === kind && d.metadata?.name === name);
    if (!target) continue;
    edit(target);
    out.set(path, docs.map((d) => `---\n${dump(d)}`).join(''));
    return out;
  }
  throw new Error(`no ${kind} ${name}`);
}

describe('upgrade plan', () => {
  const prev = prodManifests();

  test('GIVEN the same manifests THEN nothing changes', () => {
    expect(planUpgrade(prev, prev)).toEqual({ changes: [], immutable: [] });
  });

  test('a mutable change (resources, args, config) is listed as a change and refused nowhere', () => {
    const next = edited(prev, 'StatefulSet', 'prometheus', (o) => { o.spec.template.spec.containers[0].resources.limits.memory = '8Gi'; });
    expect(planUpgrade(prev, next)).toEqual({ changes: [{ object: 'StatefulSet observability/prometheus', action: 'change' }], immutable: [] });
  });

  test('a file with the same text on both sides is not read again; an object that moves to another file is no change', () => {
    // Text no YAML parser accepts: reading it would throw.
    const same = new Map([...prev, ['prod/manifests/zz.yaml', 'a: [\n']]);
    expect(planUpgrade(same, same)).toEqual({ changes: [], immutable: [] });
    const [from, text] = [...prev].find(([p]) => p.endsWith('/loki.yaml'))!;
    const moved = new Map([...prev].filter(([p]) => p !== from));
    moved.set('prod/manifests/zz-loki.yaml', text);
    expect(planUpgrade(prev, moved)).toEqual({ changes: [], immutable: [] });
  });

  test('an object that leaves the output is listed for deletion', () => {
    const next = new Map([...prev].filter(([p]) => !p.endsWith('/cadvisor.yaml')));
    const plan = planUpgrade(prev, next);
    expect(plan.changes.filter((c) => c.action === 'delete').map((c) => c.object)).toContain('DaemonSet observability-agents/cadvisor');
    expect(formatPlan(plan)).toContain('delete DaemonSet observability-agents/cadvisor');
  });

  const cases: Array<[string, string, string, (o: Doc) => void, RegExp]> = [
    ['StatefulSet', 'prometheus', 'spec.volumeClaimTemplates', (o) => { o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '80Gi'; }, /--cascade=orphan/],
    ['StatefulSet', 'prometheus', 'spec.serviceName', (o) => { o.spec.serviceName = 'prometheus-headless'; }, /--cascade=orphan/],
    ['StatefulSet', 'loki', 'spec.selector', (o) => { o.spec.selector.matchLabels['app.kubernetes.io/component'] = 'x'; }, /--cascade=orphan/],
    ['StatefulSet', 'loki', 'spec.podManagementPolicy', (o) => { o.spec.podManagementPolicy = 'Parallel'; }, /--cascade=orphan/],
    ['Deployment', 'grafana', 'spec.selector', (o) => { o.spec.selector.matchLabels.extra = 'y'; }, /kubectl -n observability delete deployment grafana --cascade=orphan/],
    ['DaemonSet', 'cadvisor', 'spec.selector', (o) => { o.spec.selector.matchLabels.extra = 'y'; }, /delete daemonset cadvisor/],
    ['PersistentVolumeClaim', 'grafana-data', 'spec.storageClassName', (o) => { o.spec.storageClassName = 'fast'; }, /copying its data/],
    ['PersistentVolumeClaim', 'grafana-data', 'spec.resources.requests.storage', (o) => { o.spec.resources.requests.storage = '1Gi'; }, /cannot shrink/],
    ['ClusterRoleBinding', 'observability-prometheus', 'roleRef', (o) => { o.roleRef.name = 'other'; }, /delete clusterrolebinding/],
  ];
  test.each(cases)('fails on a change to %s %s %s, naming the object, the field and the way out', (kind, name, field, edit, wayOut) => {
    const plan = planUpgrade(prev, edited(prev, kind, name, edit));
    expect(plan.immutable).toEqual([expect.objectContaining({ field, wayOut: expect.stringMatching(wayOut) })]);
    expect(plan.immutable[0].object).toMatch(new RegExp(`^${kind} .*${name}$`));
    expect(formatPlan(plan)).toContain(`immutable: ${plan.immutable[0].object} ${field} changes from`);
  });

  test('a claim may grow', () => {
    const next = edited(prev, 'PersistentVolumeClaim', 'grafana-data', (o) => { o.spec.resources.requests.storage = '50Gi'; });
    expect(planUpgrade(prev, next).immutable).toEqual([]);
  });

  test('a headless Service turned into a ClusterIP one is refused; an unset clusterIP is not', () => {
    const withIp = edited(prev, 'Service', 'prometheus', (o) => { o.spec.clusterIP = 'None'; });
    expect(planUpgrade(withIp, prev).immutable).toEqual([]);
    const changed = edited(withIp, 'Service', 'prometheus', (o) => { o.spec.clusterIP = '10.0.0.5'; });
    expect(planUpgrade(withIp, changed).immutable).toEqual([expect.objectContaining({ field: 'spec.clusterIP', before: 'None', after: '10.0.0.5' })]);
  });
});

describe('npm run synth and the upgrade plan', () => {
  const prodWith = (overrides: object) => ENVIRONMENTS.map((e) => (e.name === 'prod' ? { ...e, overrides: { ...e.overrides, ...overrides } } : e));
  const cli = (argv: string[], envs: typeof ENVIRONMENTS) => {
    let out = '';
    let err = '';
    const code = main(argv, envs, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
    return { code, out, err };
  };

  test('GIVEN a written prod WHEN a claim template changes THEN synth refuses, names the object, the field and the way out, and writes nothing; --allow-replace writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-upgrade-'));
    try {
      const out = join(dir, 'out');
      expect(cli(['--env', 'prod', '--out', out], ENVIRONMENTS).code).toBe(0);
      const before = readFileSync(join(out, 'prod/manifests/prometheus.yaml'), 'utf8');
      const bigger = prodWith({ prometheus: { storage: { persistent: true, size: '80Gi' } } });
      const refused = cli(['--env', 'prod', '--out', out], bigger);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('immutable: StatefulSet observability/prometheus spec.volumeClaimTemplates changes from');
      expect(refused.err).toContain('kubectl -n observability delete statefulset prometheus --cascade=orphan');
      expect(refused.err).toContain('--allow-replace');
      expect(readFileSync(join(out, 'prod/manifests/prometheus.yaml'), 'utf8')).toBe(before);
      const allowed = cli(['--env', 'prod', '--out', out, '--allow-replace'], bigger);
      expect(allowed.code).toBe(0);
      expect(allowed.out).toMatch(/obs-stack: note: prod: upgrade plan: 0 to add, \d+ to change, 0 to delete/);
      expect(readFileSync(join(out, 'prod/manifests/prometheus.yaml'), 'utf8')).toContain('storage: 80Gi');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
