/**
 * The pieces behind the Helm path's measured differences that need no helm: the pod-fact comparison (what
 * counts as a difference, what is normalised away), the README section, the manifests' pod facts the values
 * are built from, and the chart cache's error messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MeasuredDifferences, differencesSection } from '../../../src/outputs/helm/differences';
import { HELM_CHARTS } from '../../../src/outputs/helm/charts';
import { emptyDirLimit, manifestsPod, probeOf, startupSeconds } from '../../../src/lib/manifests-pods';
import { podDifferences, show } from '../../support/helm-differences';
import { CHART_CACHE_ENV, DEFAULT_CHART_CACHE, chartCacheDir, ensureCharts } from '../../support/helm-tools';
import { buildEnv, find, objectsOf, type KubeObject } from '../../support/synth';


const build = buildEnv('dev');
const manifests = objectsOf(build);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** The manifests as if a chart had rendered them, with `mutate` applied to one workload. */
function asRelease(kind: string, name: string, mutate: (w: KubeObject) => void) {
  const objects = clone(manifests);
  mutate(find(objects, kind, name));
  return [{ chart: { key: name }, objects }];
}

describe('pod differences', () => {
  test('none between the manifests and themselves', () => {
    expect(podDifferences(manifests, [{ chart: { key: 'x' }, objects: clone(manifests) }])).toEqual([]);
  });

  test('a missing probe, a wider securityContext, an unsized emptyDir, a sidecar and a grace period are reported', () => {
    const diffs = podDifferences(manifests, asRelease('StatefulSet', 'tempo', (w) => {
      const spec = w.spec.template.spec;
      delete spec.containers[0].startupProbe;
      spec.containers[0].securityContext = { privileged: false };
      spec.volumes.find((v: any) => v.name === 'tmp').emptyDir = {};
      spec.containers.push({ name: 'reloader', image: 'quay.io/x/reloader:v1' });
      spec.terminationGracePeriodSeconds = 30;
    }));
    expect(diffs.map((d) => `${d.container}|${d.fact}`).sort()).toEqual(['reloader|container', 'tempo|emptyDir volumes', 'tempo|securityContext', 'tempo|startupProbe', '|pod terminationGracePeriodSeconds']);
    expect(diffs.every((d) => d.chart === 'tempo' && d.workload === 'StatefulSet observability/tempo')).toBe(true);
    expect(diffs.find((d) => d.fact === 'emptyDir volumes')!.helm).toContain('/tmp: no size limit');
  });

  test('uid, gid and fsGroup, resources and persistent volume sizes are compared', () => {
    const prod = objectsOf(buildEnv('prod'));
    const objects = clone(prod);
    const w = find(objects, 'StatefulSet', 'prometheus');
    const spec = w.spec.template.spec;
    spec.securityContext = { ...spec.securityContext, runAsUser: 1000, fsGroup: 1000 };
    spec.containers[0].resources.limits.memory = '1Ti';
    w.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '1Ti';
    const diffs = podDifferences(prod, [{ chart: { key: 'prometheus' }, objects }]);
    expect(diffs.map((d) => `${d.container}|${d.fact}`).sort()).toEqual(['prometheus|persistent volumes', 'prometheus|resources', '|pod securityContext']);
    expect(diffs.find((d) => d.fact === 'persistent volumes')!.helm).toMatch(/^\["\/prometheus: 1Ti ReadWriteOnce/);
    expect(diffs.find((d) => d.fact === 'pod securityContext')!.helm).toContain('"runAsUser":1000');
  });

  test('a persistent volume claimed through a PersistentVolumeClaim object is compared by that claim\'s size', () => {
    const prod = objectsOf(buildEnv('prod'));
    const objects = clone(prod);
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim')!;
    pvc.spec.resources.requests.storage = '1Ti';
    const diffs = podDifferences(prod, [{ chart: { key: 'grafana' }, objects }]);
    expect(diffs.map((d) => `${d.workload}|${d.fact}|${d.helm}`)).toEqual([expect.stringMatching(/^Deployment observability\/grafana\|persistent volumes\|\[".*: 1Ti ReadWriteOnce/)]);
  });

  test('a subchart\'s workload pairs with the manifests\' one of the same component, under the subchart\'s name', () => {
    const diffs = podDifferences(manifests, asRelease('DaemonSet', 'node-exporter', (w) => {
      w.metadata.name = 'prometheus-prometheus-node-exporter';
      w.spec.template.metadata.labels['app.kubernetes.io/name'] = 'prometheus-node-exporter';
      w.spec.template.spec.containers[0].livenessProbe.periodSeconds = 10;
    }).map((r) => ({ ...r, chart: { key: 'prometheus' } })));
    expect(diffs).toEqual([expect.objectContaining({
      chart: 'prometheus-node-exporter', workload: 'DaemonSet observability-agents/node-exporter', helmWorkload: 'DaemonSet observability-agents/prometheus-prometheus-node-exporter', fact: 'livenessProbe',
    })]);
  });

  test('what a pod would not notice is not a difference: named vs numbered ports, Kubernetes defaults, key order, equal quantities, Go\'s default GOGC', () => {
    const diffs = podDifferences(manifests, asRelease('StatefulSet', 'loki', (w) => {
      const c = w.spec.template.spec.containers[0];
      const port = c.ports.find((p: any) => p.name === c.readinessProbe.httpGet.port).containerPort;
      c.readinessProbe = { timeoutSeconds: c.readinessProbe.timeoutSeconds, httpGet: { port, path: c.readinessProbe.httpGet.path }, periodSeconds: 10, failureThreshold: 3, successThreshold: 1 };
      c.resources.limits.memory = `${Number.parseInt(c.resources.limits.memory, 10) * 1024}Ki`;
      c.env = [...(c.env ?? []), { name: 'GOGC', value: '100' }];
      w.spec.template.spec.terminationGracePeriodSeconds ??= 30;
    }));
    expect(diffs).toEqual([]);
  });

  test('a workload only one side has is reported', () => {
    const helm = clone(manifests).filter((o) => !(o.kind === 'StatefulSet' && o.metadata.name === 'tempo'));
    helm.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'extra', namespace: 'observability' }, spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'extra' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } } });
    const diffs = podDifferences(manifests, [{ chart: { key: 'all' }, objects: helm }]);
    expect(diffs.map((d) => `${d.workload} -> ${d.helmWorkload}`)).toEqual(['StatefulSet observability/tempo -> none', 'none -> Deployment observability/extra']);
  });

  test('values print as compact JSON with sorted keys', () => {
    expect(show({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(show(undefined)).toBe('none');
  });
});

describe('the README section', () => {
  const measured: MeasuredDifferences = {
    rendered: { kubeVersion: '1.34.0', charts: { tempo: '2.2.4' } },
    environments: {
      same: [],
      some: [{ chart: 'tempo', workload: 'StatefulSet o/tempo', helmWorkload: 'StatefulSet o/tempo', container: 'tempo', fact: 'startupProbe', manifests: '{"a":1}', helm: 'none' }],
      odd: [{ chart: 'tempo', workload: 'StatefulSet o/tempo', helmWorkload: 'StatefulSet o/tempo', container: '', fact: 'made-up fact', manifests: '1', helm: '2' }],
    },
  };

  test('lists each difference with its chart limit, says when everything matches or nothing was measured', () => {
    const some = differencesSection('some', measured).join('\n');
    expect(some).toContain('- StatefulSet o/tempo\n  - tempo: startupProbe: manifests `{"a":1}`, Helm `none`. templates/statefulset.yaml has no startup probe value');
    expect(differencesSection('same', measured).join('\n')).toContain('Every compared pod fact matches the manifests.');
    expect(differencesSection('unknown', measured).join('\n')).toContain('Not measured for this environment: run `npm run helm:differences`');
  });

  test('a difference without a chart limit says so (and the rendered test fails on it)', () => {
    expect(differencesSection('odd', measured).join('\n')).toContain('made-up fact: manifests `1`, Helm `2`. no reason recorded');
  });
});

describe('the manifests\' pod facts the Helm values are built from', () => {
  test('probes with numeric ports, the startup allowance, emptyDir sizes', () => {
    const pod = manifestsPod(build, 'StatefulSet', 'tempo');
    const c = find(manifests, 'StatefulSet', 'tempo').spec.template.spec.containers[0];
    const port = c.ports.find((p: any) => p.name === c.livenessProbe.httpGet.port).containerPort;
    expect(probeOf(pod, 'livenessProbe')).toEqual({ ...c.livenessProbe, httpGet: { ...c.livenessProbe.httpGet, port } });
    expect(startupSeconds(pod)).toBe(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds);
    expect(emptyDirLimit(pod, '/tmp')).toBe('64Mi');
  });

  test('fail loudly, naming the workload, when the manifests lack what the values need', () => {
    expect(() => manifestsPod(build, 'StatefulSet', 'nothing')).toThrow(/manifests of test-dev have no StatefulSet nothing/);
    expect(() => probeOf(manifestsPod(build, 'DaemonSet', 'cadvisor'), 'startupProbe')).toThrow(/DaemonSet observability-agents\/cadvisor has no HTTP startupProbe/);
    expect(() => emptyDirLimit(manifestsPod(build, 'DaemonSet', 'cadvisor'), '/tmp')).toThrow(/mounts no size-limited emptyDir at \/tmp/);
  });
});

describe('the chart cache', () => {
  const saved = process.env[CHART_CACHE_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[CHART_CACHE_ENV];
    else process.env[CHART_CACHE_ENV] = saved;
  });

  test('OBS_STACK_CHART_CACHE names the folder; unset, the project-local one', () => {
    delete process.env[CHART_CACHE_ENV];
    expect(chartCacheDir()).toEqual({ dir: DEFAULT_CHART_CACHE, fromEnv: false });
    process.env[CHART_CACHE_ENV] = 'some/charts';
    expect(chartCacheDir()).toEqual({ dir: join(process.cwd(), 'some/charts'), fromEnv: true });
  });

  test('a named folder without an archive gives one line per chart, naming the file and both fixes; nothing is downloaded into it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-charts-'));
    try {
      process.env[CHART_CACHE_ENV] = dir;
      const problems = ensureCharts([HELM_CHARTS.tempo, HELM_CHARTS.grafana]);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toBe(`${join(dir, 'tempo-2.2.4.tgz')} is missing: ${CHART_CACHE_ENV}=${dir} must hold tempo-2.2.4.tgz (a \`helm pull\` or \`helm package\` archive), or unset ${CHART_CACHE_ENV} to fetch the charts into ${DEFAULT_CHART_CACHE}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
