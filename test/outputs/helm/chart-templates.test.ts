/**
 * What the pinned charts' templates make of our values (facts from the templates named in each test, at the
 * versions in charts.ts): the values are merged over the chart defaults and spliced into templates the way
 * Helm does (test/support/helm-sim.ts), and the result is checked, not just the values file.
 */
import { load } from 'js-yaml';
import { HELM_SIDECAR_IMAGES, HELM_SIDECAR_RESOURCES } from '../../../src/config/defaults';
import type { StackOverrides } from '../../../src/config/types';
import { imageRef, spreadReplicas } from '../../../src/lib/kube';
import { renderHelm } from '../../../src/outputs/helm';
import { CHART_PODS, DEFAULT_RELEASES, chartServices, helmEndpoints } from '../../../src/outputs/helm/services';
import type { AlloyChartValues } from '../../../src/outputs/helm/values/alloy';
import type { GrafanaChartValues } from '../../../src/outputs/helm/values/grafana';
import type { LokiChartValues, LokiTargetValues } from '../../../src/outputs/helm/values/loki';
import type { TempoChartValues } from '../../../src/outputs/helm/values/tempo';
import { goTruthy, helmMerge, helmToYaml, nindent } from '../../support/helm-sim';
import { buildEnv, find, objectsOf } from '../../support/synth';

function valuesOf<T>(profile: 'dev' | 'prod' | 'large', key: string, overrides?: StackOverrides): T {
  const v = renderHelm(buildEnv(profile, overrides)).values.get(key);
  if (v === undefined) throw new Error(`no ${key} release`);
  return v as T;
}

const MIRROR = { common: { imageRegistry: 'registry.example.com/mirror' } } as const;

describe('Helm-like merge (test support)', () => {
  test('maps merge, lists and scalars replace, null deletes', () => {
    const defaults = { a: { keep: 1, drop: { x: 1 }, list: [1, 2] }, s: 'd' };
    expect(helmMerge(defaults, { a: { drop: null, list: [3], add: true }, s: 'v' })).toEqual({ a: { keep: 1, list: [3], add: true }, s: 'v' });
    // An empty map keeps every default: the trap `affinity: {}` fell into.
    expect(helmMerge(defaults, { a: {} })).toEqual(defaults);
  });
});

describe('alloy 1.11.1 templates/rbac.yaml: the ClusterRole', () => {
  /** The ClusterRole's `rules:` block as the template writes it (rbac.namespaces empty). */
  function clusterRoleRules(rbac: { rules: unknown; clusterRules: unknown }): string {
    const body = goTruthy(rbac.rules) || goTruthy(rbac.clusterRules)
      ? `${nindent(2, helmToYaml(rbac.rules))}${nindent(2, helmToYaml(rbac.clusterRules))}`
      : '\n  []';
    return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: alloy\nrules:${body}\n`;
  }

  test('the simulation reproduces the install failure of an empty clusterRules list', () => {
    const rule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] };
    expect(() => load(clusterRoleRules({ rules: [rule], clusterRules: [] }))).toThrow();
    expect(() => load(clusterRoleRules({ rules: [], clusterRules: [rule] }))).toThrow();
  });

  test('our values render a parseable ClusterRole granting only pod get/list/watch', () => {
    const v = valuesOf<AlloyChartValues>('dev', 'alloy', { logAgent: 'alloy' });
    const role = load(clusterRoleRules(v.rbac as { rules: unknown; clusterRules: unknown })) as { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> };
    expect(role.rules.length).toBeGreaterThan(0);
    for (const r of role.rules) expect(r).toEqual({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] });
  });
});

describe('alloy 1.11.1 pod security and reloader image', () => {
  test('templates/controllers/_pod.yaml takes the pod securityContext from global.podSecurityContext: the manifests\' one', () => {
    const build = buildEnv('dev', { logAgent: 'alloy' }, 'test-alloy');
    const v = renderHelm(build).values.get('alloy') as AlloyChartValues;
    const manifests = find(objectsOf(build), 'DaemonSet', 'alloy').spec.template.spec.securityContext;
    expect(v.global.podSecurityContext).toEqual(manifests);
    expect(v.global.podSecurityContext).toMatchObject({ runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.controller).not.toHaveProperty('podSecurityContext');
  });

  test('templates/containers/_watch.yaml image (registry/repository:tag) is pinned and follows common.imageRegistry', () => {
    const image = (v: AlloyChartValues) => `${v.configReloader.image.registry}/${v.configReloader.image.repository}:${v.configReloader.image.tag}`;
    expect(image(valuesOf<AlloyChartValues>('dev', 'alloy', { logAgent: 'alloy' }))).toBe('quay.io/prometheus-operator/prometheus-config-reloader:v0.91.0');
    const mirrored = buildEnv('dev', { logAgent: 'alloy', ...MIRROR });
    expect(image(renderHelm(mirrored).values.get('alloy') as AlloyChartValues)).toBe(imageRef(HELM_SIDECAR_IMAGES.alloyReloader, mirrored.env.config.common));
    expect(image(renderHelm(mirrored).values.get('alloy') as AlloyChartValues)).toMatch(/^registry\.example\.com\/mirror\//);
  });
});

describe('loki 18.11.0: affinity and token automount after the merge with the chart defaults', () => {
  const required = (component: string) => ({
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{
        labelSelector: { matchLabels: { 'app.kubernetes.io/component': component, 'app.kubernetes.io/name': '{{ include "loki.name" . }}', 'app.kubernetes.io/instance': '{{ .Release.Name }}' } },
        topologyKey: 'kubernetes.io/hostname',
      }],
    },
  });
  /** The chart's values.yaml defaults for the keys under test (a fixture: the tests never read the chart). */
  const CHART_DEFAULTS = {
    defaults: { automountServiceAccountToken: true },
    singleBinary: { affinity: required('single-binary') },
    write: { affinity: required('write') },
    read: { affinity: required('read') },
    backend: { affinity: required('backend') },
  };
  type Merged = Record<'singleBinary' | 'write' | 'read' | 'backend', { replicas?: number; affinity: { podAntiAffinity: Record<string, unknown> }; automountServiceAccountToken?: unknown }> & { defaults: { automountServiceAccountToken: boolean } };
  /** templates/_pod.tpl: the component's bool, else `defaults.automountServiceAccountToken`. */
  const podAutomount = (m: Merged, t: keyof typeof CHART_DEFAULTS & ('singleBinary' | 'write' | 'read' | 'backend')) =>
    (typeof m[t].automountServiceAccountToken === 'boolean' ? m[t].automountServiceAccountToken : m.defaults.automountServiceAccountToken);

  test('Monolithic: no required anti-affinity survives, no token is mounted', () => {
    const v = valuesOf<LokiChartValues>('dev', 'loki');
    const m = helmMerge(CHART_DEFAULTS, v) as Merged;
    expect(m.singleBinary.affinity.podAntiAffinity).toEqual({});
    expect(podAutomount(m, 'singleBinary')).toBe(false);
    // What the previous `affinity: {}` left in place.
    expect((helmMerge(CHART_DEFAULTS, { singleBinary: { affinity: {} } }) as Merged).singleBinary.affinity).toEqual(required('single-binary'));
  });

  test('SimpleScalable: each target keeps only the manifests\' preferred anti-affinity', () => {
    const build = buildEnv('large', { loki: { backend: { replicas: 1 } } }, 'large');
    const v = renderHelm(build).values.get('loki') as LokiChartValues;
    expect(v.deploymentMode).toBe('SimpleScalable');
    const m = helmMerge(CHART_DEFAULTS, v) as Merged;
    for (const t of ['write', 'read', 'backend'] as const) {
      const target = v[t] as LokiTargetValues;
      const selector = { 'app.kubernetes.io/name': CHART_PODS.loki.appName, 'app.kubernetes.io/instance': DEFAULT_RELEASES.loki, 'app.kubernetes.io/component': t };
      const preferred = spreadReplicas(target.replicas, selector).affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      expect(m[t].affinity.podAntiAffinity).toEqual(preferred ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {});
      expect(podAutomount(m, t)).toBe(false);
    }
    // Both shapes are covered: spread replicas (preferred term) and a single backend (none).
    expect((v.write as LokiTargetValues).replicas).toBeGreaterThan(1);
    expect((v.backend as LokiTargetValues).replicas).toBe(1);
  });
});

describe('tempo 2.2.4', () => {
  test('templates/statefulset.yaml always passes -mem-ballast-size-mbs: no ballast, as Tempo\'s default', () => {
    const v = valuesOf<TempoChartValues>('prod', 'tempo');
    expect(`-mem-ballast-size-mbs=${v.tempo.memBallastSizeMbs}`).toBe('-mem-ballast-size-mbs=0');
  });

  /** templates/_ports.tpl's TCP ports for our values (tempoQuery off). */
  function templatePorts(v: TempoChartValues): Array<{ name: string; port: number }> {
    const rec = v.tempo.receivers;
    const from = (name: string, e: { endpoint: string }) => (e.endpoint ? [{ name, port: Number(e.endpoint.split(':').pop()) }] : []);
    return [
      { name: 'tempo-prom-metrics', port: 3200 },
      ...from('tempo-jaeger-thrift-http', rec.jaeger.protocols.thrift_http),
      ...from('grpc-tempo-jaeger', rec.jaeger.protocols.grpc),
      { name: 'tempo-zipkin', port: 9411 },
      { name: 'tempo-otlp-legacy', port: 55680 },
      { name: 'tempo-otlp-http-legacy', port: 55681 },
      ...from('grpc-tempo-otlp', rec.otlp.protocols.grpc),
      ...from('tempo-otlp-http', rec.otlp.protocols.http),
    ];
  }

  test.each([
    ['default receivers (OTLP)', {}, [3200, 4317, 4318]],
    ['every receiver', { tempo: { receivers: { otlpGrpc: true, otlpHttp: true, jaeger: true, zipkin: true } } }, [3200, 4317, 4318, 14250, 14268, 9411]],
    ['Zipkin only', { tempo: { receivers: { otlpGrpc: false, otlpHttp: false, jaeger: false, zipkin: true } } }, [3200, 9411]],
  ] as Array<[string, StackOverrides, number[]]>)('Service ports follow the enabled receivers: %s', (_name, overrides, ports) => {
    const build = buildEnv('dev', overrides);
    const cfg = build.env.config;
    const s = chartServices(cfg).tempo;
    expect(s.ports.map((p) => p.port)).toEqual(ports);
    // Every port we list is one the chart creates (same name and number); the chart's extras are the
    // always-present Zipkin and legacy OTLP ports only.
    const chart = templatePorts(renderHelm(build).values.get('tempo') as TempoChartValues);
    for (const p of s.ports) expect(chart).toContainEqual(p);
    const extras = chart.filter((p) => !s.ports.some((q) => q.name === p.name)).map((p) => p.name);
    for (const e of extras) expect(['tempo-zipkin', 'tempo-otlp-legacy', 'tempo-otlp-http-legacy']).toContain(e);
    // Disabled receivers still have an endpoint (on the tempo Service name), as in the manifests' registry.
    const eps = helmEndpoints(cfg);
    expect(eps.tempo.jaegerGrpc.host).toBe('tempo.observability.svc');
  });
});

describe('grafana 12.11.1 download-dashboards init container (templates/_pod.tpl, whenever `dashboards` is set)', () => {
  const image = (v: GrafanaChartValues) => `${v.downloadDashboardsImage!.registry}/${v.downloadDashboardsImage!.repository}:${v.downloadDashboardsImage!.tag}`;

  test('pinned image, sidecar resources', () => {
    const v = valuesOf<GrafanaChartValues>('prod', 'grafana', { grafana: { adminSecret: { name: 'grafana-admin' } } });
    expect(v.dashboards).toBeDefined();
    expect(image(v)).toBe(imageRef(HELM_SIDECAR_IMAGES.grafanaDownloadDashboards, buildEnv('prod').env.config.common));
    expect(v.downloadDashboards!.resources).toEqual(HELM_SIDECAR_RESOURCES);
  });

  test('common.imageRegistry moves it like every other image', () => {
    const build = buildEnv('dev', MIRROR);
    const v = renderHelm(build).values.get('grafana') as GrafanaChartValues;
    expect(image(v)).toBe('registry.example.com/mirror/curlimages/curl:8.21.0');
  });
});
