import { ruleFilesFor, stackJobs } from '../../../src/components/content';
import { alertmanagerDeployed } from '../../../src/components/alertmanager';
import { prometheusScrapeOf } from '../../../src/components/prometheus/jobs';
import { load, loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../../src/config/environments';
import { prometheusRemoteWriteUrl } from '../../../src/components/prometheus/endpoints';
import { WireLog } from '../../../src/lib/wiring';
import { HELM_CHARTS } from '../../../src/outputs/helm/charts';
import { renderHelm } from '../../../src/outputs/helm';
import { DEFAULT_RELEASES, chartFullname, chartServices, helmEndpoints, helmPart } from '../../../src/outputs/helm/services';
import type { CadvisorChartValues } from '../../../src/components/cadvisor/helm-values';
import { type PrometheusChartValues, helmPrometheusConfig, prometheusConfigFromValues } from '../../../src/components/prometheus/helm-values';
import { buildEnv, configMapYaml, find, objectsOf, synthAll } from '../../support/synth';

const ENV_NAMES = ENVIRONMENTS.map((e) => e.name);

function helmFile<T = any>(env: string, name: string): T {
  const text = synthAll().files.get(`${env}/helm/${name}`);
  if (text === undefined) throw new Error(`no ${env}/helm/${name}`);
  return load(text) as T;
}

describe('Helm path output', () => {
  const result = synthAll();

  test.each(ENV_NAMES)('%s: writes the helmfile, a README and a values file per chart', (env) => {
    const names = [...result.files.keys()].filter((p) => p.startsWith(`${env}/helm/`)).sort();
    expect(names).toEqual(expect.arrayContaining([`${env}/helm/helmfile.yaml`, `${env}/helm/README.md`, `${env}/helm/values-prometheus.yaml`, `${env}/helm/values-cadvisor.yaml`]));
  });

  test('values never land in manifests/', () => {
    for (const p of result.files.keys()) if (p.includes('/manifests/')) expect(p).not.toMatch(/values-|helmfile/);
  });

  test.each(ENV_NAMES)('%s: helmfile pins every release to the chart table, in the stack namespaces, with its values file', (env) => {
    const hf = helmFile(env, 'helmfile.yaml');
    const cfg = buildEnv('dev').env.config;
    for (const r of hf.releases) {
      const chart = HELM_CHARTS[r.name as keyof typeof HELM_CHARTS];
      expect(r.chart).toBe(`${chart.repository.name}/${chart.chart}`);
      expect(r.version).toBe(chart.version);
      expect(r.createNamespace).toBe(false);
      expect(result.files.has(`${env}/helm/${r.values[0]}`)).toBe(true);
      expect([cfg.common.namespace, cfg.common.agentNamespace]).toContain(r.namespace);
      expect(hf.repositories).toContainEqual({ name: chart.repository.name, url: chart.repository.url });
    }
    const readme = result.files.get(`${env}/helm/README.md`)!;
    for (const r of hf.releases) expect(readme).toContain(`helm upgrade --install ${r.name} ${r.chart} --version ${r.version} -n ${r.namespace} -f ${r.values[0]}`);
    expect(readme).toContain('helmfile apply');
    expect(readme).toContain(`kubectl apply --server-side -f dist/${env}/manifests/00-namespaces.yaml\nkubectl apply --server-side -f dist/${env}/helm/extra/\ncd dist/${env}/helm && helmfile apply`);
  });

  test('ArgoCD Helm Applications inline the same values and stay out of the root app-of-apps', () => {
    for (const env of ENV_NAMES) {
      const values = helmFile<PrometheusChartValues>(env, 'values-prometheus.yaml');
      const app = load(result.files.get(`argocd/helm/${env}/prometheus.yaml`)!.replace(/^---\n/, '')) as any;
      expect(app.spec.source).toMatchObject({ repoURL: HELM_CHARTS.prometheus.repository.url, chart: 'prometheus', targetRevision: HELM_CHARTS.prometheus.version });
      expect(app.spec.source.helm.valuesObject).toEqual(values);
      expect(app.spec.syncPolicy.syncOptions).toContain('CreateNamespace=false');
      const ns = loadAll(result.files.get(`argocd/helm/${env}/00-namespaces.yaml`)!)[0] as any;
      expect(ns.spec.source.directory.include).toBe('00-namespaces.yaml');
      // helm/extra/ (NetworkPolicies, the dashboards ConfigMap, ...) syncs after the namespaces, before the releases.
      const extra = loadAll(result.files.get(`argocd/helm/${env}/00-extra.yaml`)!)[0] as any;
      expect(extra.spec.source.path).toBe(`dist/${env}/helm/extra`);
      expect([...result.files.keys()].some((p) => p.startsWith(`${env}/helm/extra/`))).toBe(true);
      const wave = (o: any) => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
      expect(wave(ns)).toBeLessThan(wave(extra));
      expect(wave(extra)).toBeLessThan(wave(app));
    }
    const root = loadAll(result.files.get('argocd/root.yaml')!)[0] as any;
    expect(root.spec.source.path).toBe('dist/argocd/apps');
    expect([...result.files.keys()].filter((p) => p.startsWith('argocd/apps/')).every((p) => !result.files.get(p)!.includes('chart:'))).toBe(true);
  });
});

describe('chart Service table', () => {
  const cfg = buildEnv('dev').env.config;

  test('prometheus server Service is <release>-server (or <release>-prometheus-server) on port 80', () => {
    expect(chartServices(cfg).prometheus).toMatchObject({ name: 'prometheus-server', namespace: 'observability', ports: [{ name: 'http', port: 80 }] });
    expect(chartServices(cfg, { ...DEFAULT_RELEASES, prometheus: 'metrics' }).prometheus.name).toBe('metrics-prometheus-server');
    expect(chartServices(cfg, { ...DEFAULT_RELEASES, prometheus: 'kube-prometheus' }).prometheus.name).toBe('kube-prometheus-server');
  });

  test('cadvisor Service is named after the chart, whatever the release', () => {
    expect(chartServices(cfg, { ...DEFAULT_RELEASES, cadvisor: 'node-metrics' }).cadvisor).toMatchObject({ name: 'cadvisor', namespace: 'observability-agents', ports: [{ name: 'http', port: 8080 }] });
  });

  test('loki, tempo, grafana, promtail and alloy Services and ports', () => {
    const s = chartServices(cfg);
    expect(s.loki).toMatchObject({ name: 'loki', ports: [{ name: 'http-metrics', port: 3100 }, { name: 'grpc', port: 9095 }, { name: 'grpclb', port: 9096 }] });
    expect(s.tempo.name).toBe('tempo');
    expect(s.tempo.ports.map((p) => p.port)).toEqual([3200, 4317, 4318]);
    expect(s.grafana).toMatchObject({ name: 'grafana', ports: [{ name: 'service', port: 80 }] });
    expect(s.promtail).toMatchObject({ name: 'promtail-metrics', namespace: 'observability-agents', ports: [{ port: 3101 }] });
    expect(s.alloy).toMatchObject({ name: 'alloy', ports: [{ name: 'http-metrics', port: 12345 }] });
    expect(chartServices(cfg, { ...DEFAULT_RELEASES, loki: 'logs' }).loki.name).toBe('logs-loki');
  });

  test('fullname follows Helm: release alone when it contains the chart name, truncated to 63 without a trailing dash', () => {
    expect(chartFullname('grafana', 'grafana')).toBe('grafana');
    expect(chartFullname('grafana', 'my-grafana-ui')).toBe('my-grafana-ui');
    expect(chartFullname('tempo', 'traces')).toBe('traces-tempo');
    const long = chartFullname('tempo', `${'a'.repeat(57)}-b`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long.endsWith('-')).toBe(false);
  });

  test('helmEndpoints: the same Endpoints shape with chart Service names, so renderers build working URLs', () => {
    const eps = helmEndpoints(cfg);
    expect(prometheusRemoteWriteUrl(new WireLog().connect('tempo', eps.prometheus.http, 'remote-write', 'test'))).toBe('http://prometheus-server.observability.svc:80/api/v1/write');
    expect(eps.tempo.otlpHttp.url).toBe('http://tempo.observability.svc:4318');
    expect(eps.loki.http.url).toBe('http://loki.observability.svc:3100');
    expect(eps.grafana.http.url).toBe('http://grafana.observability.svc:80');
    expect(eps.demoBackend).toEqual(buildEnv('dev').endpoints.demoBackend);
  });
});

describe('parity with the manifests', () => {
  test.each(['dev', 'prod'] as const)('%s: the Prometheus config in the values is renderPrometheusConfig with the Helm endpoints, and the manifests config modulo pod selectors', (profile) => {
    const build = buildEnv(profile);
    const helm = renderHelm(build);
    const values = helm.values.get('prometheus') as PrometheusChartValues;
    const cfg = build.env.config;
    const fromValues = prometheusConfigFromValues(values);
    expect(fromValues).toEqual(helmPrometheusConfig({ cfg, endpoints: helmEndpoints(cfg), podFacts: (c) => helmPart(c)?.pod, scrape: prometheusScrapeOf(build.scrapeTargets), ruleFiles: ruleFilesFor(cfg, stackJobs(cfg, build.scrapeTargets)) }));

    const manifests = configMapYaml(objectsOf(build), 'prometheus', 'prometheus.yaml');
    expect(fromValues.global).toEqual(manifests.global);
    expect(fromValues.scrape_configs.map((j) => j.job_name)).toEqual(manifests.scrape_configs.map((j: any) => j.job_name));
    // Only the pod selector and the kept port name may differ (the charts label and name their pods their way).
    const normalize = (j: any) => JSON.parse(JSON.stringify(j).replace(/app\.kubernetes\.io\/name=[a-z-]+/g, 'SEL').replace(/"regex":"(http-metrics|http|prom-metrics|grafana)"/g, '"regex":"PORT"'));
    expect(fromValues.scrape_configs.map(normalize)).toEqual(manifests.scrape_configs.map(normalize));
    // The kept port name is the one the chart gives its metrics container port.
    const cadvisorJob = fromValues.scrape_configs.find((j) => j.job_name === 'cadvisor')!;
    expect(cadvisorJob.relabel_configs![0]).toMatchObject({ regex: 'http', action: 'keep' });
    expect(values.server.portName).toBe(fromValues.scrape_configs.find((j) => j.job_name === 'prometheus')!.relabel_configs![0].regex);
    // Only our jobs: every chart default job is off.
    expect(Object.values(values.scrapeConfigs).every((j) => j.enabled === false)).toBe(true);
    expect(values['prometheus-pushgateway'].enabled).toBe(false);
    // The chart's Alertmanager subchart is the stack's Alertmanager.
    expect(values.alertmanager.enabled).toBe(alertmanagerDeployed(cfg));
    // The node-exporter and kube-state-metrics subcharts run when their components are enabled (cluster monitoring).
    expect([values['kube-state-metrics'].enabled, values['prometheus-node-exporter'].enabled]).toEqual([cfg.kubeStateMetrics.enabled, cfg.nodeExporter.enabled]);
  });

  test.each(['dev', 'prod'] as const)('%s: Prometheus image, retention, flags, resources and storage match the StatefulSet', (profile) => {
    const build = buildEnv(profile);
    const v = renderHelm(build).values.get('prometheus') as PrometheusChartValues;
    const sts = find(objectsOf(build), 'StatefulSet', 'prometheus');
    const c = sts.spec.template.spec.containers[0];
    expect(`${v.server.image.repository}:${v.server.image.tag}`).toBe(c.image);
    // Retention in the config file on both paths: the chart writes `server.tsdb` as `storage.tsdb` and no
    // retention flag when `server.retention`/`retentionSize` are empty (templates/cm.yaml, deploy.yaml).
    expect([v.server.retention, v.server.retentionSize]).toEqual(['', '']);
    expect(c.args.filter((a: string) => a.startsWith('--storage.tsdb.retention'))).toEqual([]);
    expect(v.server.tsdb).toEqual(configMapYaml(objectsOf(build), 'prometheus', 'prometheus.yaml').storage.tsdb);
    for (const f of v.server.extraFlags) expect(c.args).toContain(`--${f}`);
    // No reloader sidecar, so no lifecycle API (unauthenticated /-/reload and /-/quit).
    expect(v.server.extraFlags).not.toContain('web.enable-lifecycle');
    expect(v.configmapReload.prometheus.enabled).toBe(false);
    expect(v.server.resources).toEqual(c.resources);
    expect(v.server.securityContext).toEqual(sts.spec.template.spec.securityContext);
    expect(v.server.containerSecurityContext).toEqual(c.securityContext);
    expect(v.server.persistentVolume.enabled).toBe(build.env.config.prometheus.storage.persistent);
    const claim = sts.spec.volumeClaimTemplates?.[0];
    if (claim) {
      expect(v.server.persistentVolume.size).toBe(claim.spec.resources.requests.storage);
      expect(v.server.persistentVolume.storageClass).toBe(claim.spec.storageClassName);
    } else {
      expect(v.server.emptyDir.sizeLimit).toBe(sts.spec.template.spec.volumes.find((x: any) => x.name === 'data').emptyDir.sizeLimit);
    }
  });

  test.each([['dev', {}], ['prod', {}], ['dev', { cadvisor: { privileged: true } }]] as const)('%s %j: cAdvisor image, args, port, resources and privilege match the DaemonSet', (profile, overrides) => {
    const build = buildEnv(profile, overrides);
    const v = renderHelm(build).values.get('cadvisor') as CadvisorChartValues;
    const ds = find(objectsOf(build), 'DaemonSet', 'cadvisor');
    const c = ds.spec.template.spec.containers[0];
    expect(`${v.image.repository}:${v.image.tag}`).toBe(c.image);
    expect(v.container.additionalArgs).toEqual(c.args);
    expect(v.container.port).toBe(c.ports[0].containerPort);
    expect(v.resources).toEqual(c.resources);
    expect(v.podSecurityContext.privileged).toBe(c.securityContext.privileged);
    expect(v.container.hostPaths.map((h) => h.mount ?? h.path).sort()).toEqual(c.volumeMounts.map((m: any) => m.mountPath).sort());
  });

  test('common.imageRegistry rewrites chart images like the manifests', () => {
    const build = buildEnv('dev', { common: { imageRegistry: 'registry.example.com/mirror' } });
    const out = renderHelm(build);
    const p = out.values.get('prometheus') as PrometheusChartValues;
    expect(p.server.image.repository).toBe('registry.example.com/mirror/prometheus/prometheus');
    expect((out.values.get('cadvisor') as CadvisorChartValues).image.repository).toBe('registry.example.com/mirror/google/cadvisor');
  });
});

describe('failures', () => {
  test('fails when a Tempo port differs from the one the tempo chart hard-codes (names path, value and fix)', () => {
    const build = buildEnv('dev', { tempo: { ports: { otlpHttp: 4319 } } });
    expect(() => renderHelm(build)).toThrow(/tempo\.ports\.otlpHttp: 4319 is hard-coded to 4318 by the tempo chart 2\.2\.4; set it to 4318 or use the manifests path/);
  });

  test('typed values: a misspelt key fails compilation', () => {
    const ok: PrometheusChartValues['server']['service'] = { servicePort: 80 };
    // @ts-expect-error - `servicePorts` is not a key of the chart's server.service values
    const typo: PrometheusChartValues['server']['service'] = { servicePorts: 80 };
    // @ts-expect-error - `additionalArg` is not a key of the cadvisor chart's container values
    const typo2: Partial<CadvisorChartValues['container']> = { additionalArg: [] };
    expect([ok, typo, typo2]).toHaveLength(3);
  });
});
