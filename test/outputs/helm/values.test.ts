/**
 * Parity of the Loki, Tempo, Grafana, Promtail and Alloy values with the manifests: the configs embedded in
 * the values are the renderers' output for the Helm endpoints, and equal the manifests' configs once the
 * charts' Service names and ports are mapped back to the manifests' endpoints. Plus images, resources,
 * retention, the wiring of every URL to a Service a chart creates, and snapshots (dev uses Promtail; an
 * Alloy environment is built here).
 */
import { load, loadAll } from 'js-yaml';
import { iniText } from '../../../src/components/grafana/grafana-config';
import type { StackOverrides } from '../../../src/config/types';
import { toYaml } from '../../../src/lib/yaml';
import { CHART_KEYS, type ChartKey } from '../../../src/outputs/helm/charts';
import { type HelmOutput, renderHelm } from '../../../src/outputs/helm';
import { HELM_COMPONENTS } from '../../../src/outputs/helm/charts';
import { allChartServices, helmPodFacts, chartServices, helmEndpoints } from '../../../src/outputs/helm/services';
import { type AlloyChartValues, helmAlloyConfig } from '../../../src/components/alloy/helm-values';
import { tplEscape } from '../../../src/lib/helm-values';
import { GRAFANA_CHART_DASHBOARDS_DIR, GRAFANA_DASHBOARDS_CONFIGMAP, type GrafanaChartValues, helmGrafanaProvisioning } from '../../../src/components/grafana/helm-values';
import { type LokiChartValues, type LokiSingleBinaryValues, helmLokiConfig } from '../../../src/components/loki/helm-values';
import { type PromtailChartValues, helmPromtailConfig } from '../../../src/components/promtail/helm-values';
import { type TempoChartValues, helmTempoConfig } from '../../../src/components/tempo/helm-values';
import type { StackBuild } from '../../../src/stack';
import { normaliser, untpl } from '../../support/helm';
import { type KubeObject, buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

interface Case {
  readonly build: StackBuild;
  readonly helm: HelmOutput;
  readonly objects: KubeObject[];
}

function makeCase(profile: 'dev' | 'prod', overrides?: StackOverrides, name?: string): Case {
  const build = buildEnv(profile, overrides, name);
  return { build, helm: renderHelm(build), objects: objectsOf(build) };
}

function values<T>(c: Case, key: ChartKey): T {
  const v = c.helm.values.get(key);
  if (v === undefined) throw new Error(`no ${key} release`);
  return v as T;
}

function container(objects: readonly KubeObject[], kind: string, name: string): any {
  return find(objects, kind, name).spec.template.spec.containers[0];
}

const CASES: Record<string, Case> = {
  dev: makeCase('dev'),
  prod: makeCase('prod', { grafana: { adminSecret: { name: 'grafana-admin' } } }),
  alloy: makeCase('dev', { logAgent: 'alloy' }, 'test-alloy'),
  tenant: makeCase('prod', { logAgent: 'alloy', loki: { tenant: 'team-a' }, grafana: { adminSecret: { name: 'grafana-admin' } } }, 'test-tenant'),
};
const NAMES = Object.keys(CASES);

describe('Helm values parity with the manifests', () => {
  test('every chart is released by one component and no README says anything is missing', () => {
    expect(HELM_COMPONENTS.flatMap((c) => c.helm.release?.chart.key ?? []).sort()).toEqual([...CHART_KEYS].sort());
    for (const c of Object.values(CASES)) expect(c.helm.files.get('README.md')).not.toMatch(/not generated|pending/i);
  });

  test.each(NAMES)('%s: only the agent logAgent selects gets a release; the Promtail chart is marked deprecated', (name) => {
    const { build, helm } = CASES[name];
    const agent = build.env.config.logAgent;
    const other = agent === 'alloy' ? 'promtail' : 'alloy';
    expect(helm.values.has(agent)).toBe(true);
    expect(helm.values.has(other)).toBe(false);
    expect(helm.files.get('helmfile.yaml')).toContain(`name: ${agent}`);
    expect(helm.files.get('helmfile.yaml')).not.toContain(`name: ${other}`);
    if (agent === 'promtail') expect(helm.files.get('README.md')).toMatch(/promtail chart is deprecated/);
  });

  test.each(NAMES)('%s: Loki config = renderer with Helm endpoints = manifests modulo endpoints; schema, retention, tenancy', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const v = values<LokiChartValues>(c, 'loki');
    const fromValues = load(untpl(v.loki.config, 2));
    expect(fromValues).toEqual(helmLokiConfig({ cfg, endpoints: helmEndpoints(cfg) }));
    const manifests = configMapYaml(c.objects, 'loki', 'loki.yaml');
    expect(load(normaliser(c.build)(toYaml(fromValues)))).toEqual(manifests);
    expect(v.loki.schemaConfig.configs).toEqual(manifests.schema_config.configs);
    expect(v.loki.auth_enabled).toBe(manifests.auth_enabled);
    expect(manifests.limits_config.retention_period).toBe(cfg.loki.retention);
    expect(v.loki.server).toEqual({ http_listen_port: manifests.server.http_listen_port, grpc_listen_port: manifests.server.grpc_listen_port });
    expect(v).toMatchObject({ deploymentMode: 'Monolithic', singleBinary: { replicas: 1 }, minio: { enabled: false }, gateway: { enabled: false }, lokiCanary: { enabled: false }, test: { enabled: false }, chunksCache: { enabled: false }, resultsCache: { enabled: false } });
    expect(v.loki.storage.type).toBe('filesystem');
  });

  test.each(NAMES)('%s: Tempo config = renderer with Helm endpoints = manifests modulo endpoints; remote write to the prometheus chart Service', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const eps = helmEndpoints(cfg);
    const v = values<TempoChartValues>(c, 'tempo');
    const fromValues = load(untpl(v.config)) as any;
    expect(fromValues).toEqual(helmTempoConfig({ cfg, endpoints: eps }));
    expect(load(normaliser(c.build)(toYaml(fromValues)))).toEqual(configMapYaml(c.objects, 'tempo', 'tempo.yaml'));
    expect(fromValues.compactor.compaction.block_retention).toBe(cfg.tempo.retention);
    if (cfg.tempo.metricsGenerator) {
      expect(fromValues.metrics_generator.storage.remote_write[0].url).toBe(`${chartServiceUrl(cfg, 'prometheus')}/api/v1/write`);
      expect(fromValues.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics', 'local-blocks']);
    }
    // Service ports exactly for the configured receivers.
    const r = fromValues.distributor.receivers;
    expect(v.tempo.receivers.otlp.protocols.grpc.endpoint).toBe(r.otlp?.protocols.grpc?.endpoint ?? '');
    expect(v.tempo.receivers.otlp.protocols.http.endpoint).toBe(r.otlp?.protocols.http?.endpoint ?? '');
    expect(v.tempo.receivers.jaeger.protocols.grpc.endpoint).toBe(r.jaeger?.protocols.grpc?.endpoint ?? '');
    expect(v.tempo.receivers.jaeger.protocols.thrift_compact.endpoint).toBe('');
  });

  test.each(NAMES)('%s: the log agent config = renderer with Helm endpoints = manifests modulo endpoints; pushes to the loki chart Service', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const endpoints = helmEndpoints(cfg);
    const pushUrl = `${chartServiceUrl(cfg, 'loki')}/loki/api/v1/push`;
    const norm = normaliser(c.build);
    if (cfg.logAgent === 'promtail') {
      const v = values<PromtailChartValues>(c, 'promtail');
      const fromValues = load(untpl(v.config.file)) as any;
      expect(fromValues).toEqual(helmPromtailConfig({ cfg, endpoints }));
      expect(load(norm(toYaml(fromValues)))).toEqual(configMapYaml(c.objects, 'promtail', 'promtail.yaml'));
      expect(fromValues.clients[0].url).toBe(pushUrl);
      expect(v.config.serverPort).toBe(fromValues.server.http_listen_port);
    } else {
      const v = values<AlloyChartValues>(c, 'alloy');
      const text = untpl(v.alloy.configMap.content);
      expect(text).toBe(helmAlloyConfig({ cfg, endpoints }));
      const manifests = find(c.objects, 'ConfigMap', 'alloy').data['config.alloy'];
      expect(norm(text)).toBe(manifests);
      expect(text).toContain(JSON.stringify(pushUrl));
      // The manifests' host paths, at the same mount paths.
      const ds = find(c.objects, 'DaemonSet', 'alloy').spec.template.spec;
      const hostVolumes = ds.volumes.filter((x: any) => x.hostPath);
      expect(v.controller.volumes.extra.filter((x) => x.hostPath)).toEqual(hostVolumes);
      const mounts = ds.containers[0].volumeMounts.filter((m: any) => hostVolumes.some((h: any) => h.name === m.name));
      expect(v.alloy.mounts.extra.filter((m) => hostVolumes.some((h: any) => h.name === m.name))).toEqual(mounts);
      expect(ds.containers[0].args).toContain(`--storage.path=${v.alloy.storagePath}`);
      expect(v.alloy.enableReporting).toBe(false);
    }
    if (cfg.loki.tenant !== '') expect(JSON.stringify(c.helm.values.get(cfg.logAgent))).toContain(cfg.loki.tenant);
  });

  test.each(NAMES)('%s: Grafana datasources (UIDs, correlations), grafana.ini and dashboards equal the manifests\'', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const v = values<GrafanaChartValues>(c, 'grafana');
    const prov = helmGrafanaProvisioning({ cfg, endpoints: helmEndpoints(cfg) });
    const datasources = JSON.parse(untpl(JSON.stringify(v.datasources['datasources.yaml'])));
    expect(datasources).toEqual(prov.datasources);
    expect(load(normaliser(c.build)(toYaml(datasources)))).toEqual(configMapYaml(c.objects, 'grafana', 'datasources.yaml'));
    const urls = datasources.datasources.map((d: any) => [d.type, d.url]);
    expect(urls).toContainEqual(['prometheus', chartServiceUrl(cfg, 'prometheus')]);
    if (cfg.loki.enabled) expect(urls).toContainEqual(['loki', chartServiceUrl(cfg, 'loki')]);
    if (cfg.tempo.enabled) expect(urls).toContainEqual(['tempo', chartServiceUrl(cfg, 'tempo')]);
    // grafana.ini: ours exactly, plus a null that removes the chart's `server.domain` template when there is no Ingress.
    const ini = JSON.parse(untpl(JSON.stringify(v['grafana.ini'])));
    if (ini.server.domain === null) delete ini.server.domain;
    expect(iniText(ini)).toBe(find(c.objects, 'ConfigMap', 'grafana').data['grafana.ini']);
    // Dashboard provider: the manifests' one, at the folder the chart mounts.
    const manifestsProviders = configMapYaml(c.objects, 'grafana', 'dashboard-providers.yaml');
    const providers = v.dashboardProviders!['dashboardproviders.yaml'];
    expect(providers.providers[0].options.path).toBe(GRAFANA_CHART_DASHBOARDS_DIR);
    expect({ ...providers, providers: providers.providers.map((p) => ({ ...p, options: { ...p.options, path: 'x' } })) })
      .toEqual({ ...manifestsProviders, providers: manifestsProviders.providers.map((p: any) => ({ ...p, options: { ...p.options, path: 'x' } })) });
    // Dashboards: the same JSON under the same file names, in the ConfigMap of helm/extra/ the chart mounts as the provider's folder.
    const manifestsDashboards = Object.fromEntries(c.objects
      .filter((o) => o.kind === 'ConfigMap' && o.metadata.name !== 'grafana' && o.metadata.namespace === cfg.common.namespace && Object.keys(o.data ?? {}).every((k) => k.endsWith('.json')))
      .flatMap((o) => Object.entries(o.data as Record<string, string>)));
    expect(v.dashboardsConfigMaps).toEqual({ 'obs-stack': GRAFANA_DASHBOARDS_CONFIGMAP });
    const extra = loadAll(c.helm.files.get('extra/grafana.yaml')!) as KubeObject[];
    expect(extra).toHaveLength(1);
    expect(extra[0]).toMatchObject({ kind: 'ConfigMap', metadata: { name: GRAFANA_DASHBOARDS_CONFIGMAP, namespace: cfg.common.namespace } });
    expect(Object.keys(manifestsDashboards).length).toBeGreaterThan(0);
    expect(extra[0].data).toEqual(manifestsDashboards);
    expect(v.testFramework.enabled).toBe(false);
    expect(v.service.targetPort).toBe(container(c.objects, 'Deployment', 'grafana').ports[0].containerPort);
  });

  test.each(NAMES)('%s: Grafana admin always comes from a user-created Secret (never a password, never a chart-made Secret)', (name) => {
    const c = CASES[name];
    const g = c.build.env.config.grafana;
    const v = values<GrafanaChartValues>(c, 'grafana');
    expect(v.admin.existingSecret).toBe(g.adminSecret.name === '' ? 'grafana-admin' : g.adminSecret.name);
    expect(v.admin).toMatchObject({ userKey: g.adminSecret.userKey, passwordKey: g.adminSecret.passwordKey });
    expect(JSON.stringify(v)).not.toMatch(/adminPassword|GF_SECURITY_ADMIN_PASSWORD/);
    expect(c.helm.files.get('README.md')).toContain(`create secret generic ${v.admin.existingSecret}`);
  });

  test.each(NAMES)('%s: images and resources equal the manifests\' containers', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const img = (x: { registry: string; repository: string; tag: string }) => `${x.registry}/${x.repository}:${x.tag}`;
    const loki = values<LokiChartValues>(c, 'loki');
    const tempo = values<TempoChartValues>(c, 'tempo');
    const grafana = values<GrafanaChartValues>(c, 'grafana');
    const lokiC = container(c.objects, 'StatefulSet', 'loki');
    const tempoC = container(c.objects, 'StatefulSet', 'tempo');
    const grafanaC = container(c.objects, 'Deployment', 'grafana');
    expect(img(loki.loki.image)).toBe(lokiC.image);
    expect(img(tempo.tempo)).toBe(tempoC.image);
    expect(img(grafana.image)).toBe(grafanaC.image);
    const res = (r: { requests: object; limits: object }) => JSON.parse(JSON.stringify(r));
    expect(res((loki.singleBinary as LokiSingleBinaryValues).resources)).toEqual(res(lokiC.resources));
    expect(res(tempo.tempo.resources)).toEqual(res(tempoC.resources));
    expect(res(grafana.resources)).toEqual(res(grafanaC.resources));
    const agentKind = 'DaemonSet';
    const agentC = container(c.objects, agentKind, cfg.logAgent);
    if (cfg.logAgent === 'promtail') {
      const p = values<PromtailChartValues>(c, 'promtail');
      expect(img(p.image)).toBe(agentC.image);
      expect(res(p.resources)).toEqual(res(agentC.resources));
      expect(p.containerSecurityContext).toEqual(agentC.securityContext);
    } else {
      const a = values<AlloyChartValues>(c, 'alloy');
      expect(img(a.image)).toBe(agentC.image);
      expect(res(a.alloy.resources)).toEqual(res(agentC.resources));
      expect(a.alloy.securityContext).toEqual(agentC.securityContext);
    }
    // Persistence follows the manifests' storage decisions.
    expect((loki.singleBinary as LokiSingleBinaryValues).persistence).toMatchObject({ enabled: cfg.loki.storage.persistent, size: cfg.loki.storage.size });
    expect(tempo.persistence).toMatchObject({ enabled: cfg.tempo.storage.persistent, size: cfg.tempo.storage.size });
    expect(grafana.persistence).toMatchObject({ enabled: cfg.grafana.storage.persistent, size: cfg.grafana.storage.size });
  });

  test.each(NAMES)('%s: GOMEMLIMIT equals the manifests\' container env wherever the chart can carry it', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const goMemLimitOf = (env: ReadonlyArray<{ name: string; value?: string }> | undefined) => {
      const found = (env ?? []).filter((e) => e.name === 'GOMEMLIMIT');
      expect(found).toHaveLength(1);
      return found[0].value;
    };
    const manifestsEnv = (kind: string, workload: string) => container(c.objects, kind, workload).env;
    // Loki: first in the target's env, so the chart's own (85%) is skipped; the rest is the manifests' env too,
    // plus Go's default GOGC, so the chart adds no GOGC=80 of its own (the manifests set none: Go's default).
    const loki = values<LokiChartValues>(c, 'loki').singleBinary as LokiSingleBinaryValues;
    expect(goMemLimitOf(loki.extraEnv)).toBe(goMemLimitOf(manifestsEnv('StatefulSet', 'loki')));
    expect(loki.extraEnv!.filter((e) => e.name !== 'GOGC')).toEqual(manifestsEnv('StatefulSet', 'loki'));
    expect(loki.extraEnv!.filter((e) => e.name === 'GOGC')).toEqual([{ name: 'GOGC', value: '100' }]);
    expect((manifestsEnv('StatefulSet', 'loki') ?? []).some((e: { name: string }) => e.name === 'GOGC')).toBe(false);
    const tempo = values<TempoChartValues>(c, 'tempo');
    expect(goMemLimitOf(tempo.tempo.extraEnv)).toBe(goMemLimitOf(manifestsEnv('StatefulSet', 'tempo')));
    expect(tempo.tempo.extraEnv).toEqual(manifestsEnv('StatefulSet', 'tempo'));
    const agentEnv = cfg.logAgent === 'promtail'
      ? values<PromtailChartValues>(c, 'promtail').extraEnv
      : values<AlloyChartValues>(c, 'alloy').alloy.extraEnv;
    expect(goMemLimitOf(agentEnv)).toBe(goMemLimitOf(manifestsEnv('DaemonSet', cfg.logAgent)));
    // Grafana's chart sets its own (the whole limit) and the cadvisor chart takes no env: neither values
    // file tries (the measured differences in the README list both, test/outputs/helm/rendered.test.ts).
    const readme = c.helm.files.get('README.md')!;
    expect(JSON.stringify(values(c, 'grafana'))).not.toContain('GOMEMLIMIT');
    expect(JSON.stringify(values(c, 'cadvisor'))).not.toMatch(/GOMEMLIMIT|"env"|extraEnv/);
    expect(readme).toContain('the loki values name `GOGC=100`');
  });

  test.each(NAMES)('%s: every in-cluster URL in any values file resolves to a Service a release of this environment creates', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const services = allChartServices(cfg);
    const installed = new Set(c.helm.releases.map((r) => r.chart.key));
    const found: string[] = [];
    for (const [key, v] of c.helm.values) {
      const text = untpl(JSON.stringify(v), key === 'loki' ? 2 : 1);
      for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+\.svc)(?::(\d+))?/g)) {
        const [url, host, port] = m;
        found.push(url);
        const [svcName, ns] = host.split('.');
        const match = Object.values(services).find((s) => s.name === svcName && s.namespace === ns && installed.has(s.chart));
        expect({ url, service: match?.name }).toEqual({ url, service: svcName });
        expect(match!.ports.map((p) => String(p.port))).toContain(port ?? '80');
      }
    }
    // Grafana -> prometheus/loki/tempo, Tempo -> prometheus, agent -> loki at least.
    expect(found.length).toBeGreaterThanOrEqual(5);
  });

  test.each(NAMES)('%s: Prometheus scrapes the loki, tempo, grafana and log-agent chart pods by their chart labels and metrics port', (name) => {
    const c = CASES[name];
    const cfg = c.build.env.config;
    const v = values<any>(c, 'prometheus');
    const jobs: ChartKey[] = ['loki', 'tempo', 'grafana', cfg.logAgent];
    for (const job of jobs) {
      const sc = v.serverFiles['prometheus.yml'].scrape_configs.find((x: any) => x.job_name === job);
      expect(sc).toBeDefined();
      const text = JSON.stringify(sc);
      expect(text).toContain(helmPodFacts(job).metricsPortName);
      expect(text).toContain(helmPodFacts(job).appName);
    }
  });

  test('tplEscape survives the number of tpl passes it was made for', () => {
    expect(tplEscape('a {{x}} b')).toBe('a {{ "{{" }}x}} b');
    expect(untpl(tplEscape('{{a}} {{b}}', 2), 2)).toBe('{{a}} {{b}}');
    expect(tplEscape('no braces', 2)).toBe('no braces');
  });
});

/** `http://<service>.<ns>.svc:<first port>` of a chart's Service. */
function chartServiceUrl(cfg: StackBuild['env']['config'], key: ChartKey): string {
  const s = chartServices(cfg)[key];
  return `http://${s.name}.${s.namespace}.svc:${s.ports[0].port}`;
}
