import { addConfigChecksums } from '../../../src/lib/checksums';
import { externalEndpoints } from '../../../src/lib/external';
import { load } from 'js-yaml';
import { App } from 'cdk8s';
import { Labeler } from '../../../src/lib/labels';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../../src/lib/kube';
import {
  ACCESS_ANNOTATION, DEFAULT_ADMIN_ANNOTATION, Grafana, METRICS_DATASOURCE_ENV, adminSecretCommand, dashboardConfigMapName, planDashboards,
} from '../../../src/components/grafana/grafana';
import { GRAFANA_PATHS, PROVISIONING_FILES } from '../../../src/components/grafana/grafana-config';
import type { DatasourcesFile } from '../../../src/components/grafana/datasources';
import type { TempoJsonData } from '../../../src/components/tempo/datasource';
import { REGISTRY } from '../../../src/components/registry';
import { DS } from '../../../src/lib/dashboards';
import { datasourcesOf as collectedDatasources, referencedDatasourceUids } from '../../support/datasources';
import { LOKI_TENANT_HEADER } from '../../../src/components/loki/loki-config';
import { GRAFANA_FOLDER } from '../../../src/components/grafana/grafana-config';
import type { StackOverrides } from '../../../src/config/types';
import { type KubeObject, buildEnv, find, objectsOf, synthAll, manifestObjects, ENV_NAMES } from '../../support/synth';
import type { StackBuild } from '../../../src/stack';

function grafanaObjects(build: StackBuild): KubeObject[] {
  const chart = build.charts.find((c) => c.node.id === 'grafana');
  if (!chart) throw new Error('no grafana chart');
  return chart.toJson() as KubeObject[];
}

function datasourcesOf(objects: readonly KubeObject[]): DatasourcesFile {
  return load(find(objects, 'ConfigMap', 'grafana').data['datasources.yaml']) as DatasourcesFile;
}

function iniOf(objects: readonly KubeObject[]): string {
  return find(objects, 'ConfigMap', 'grafana').data['grafana.ini'];
}

/** `key = value` of one section of grafana.ini. */
function iniSection(ini: string, section: string): Record<string, string> {
  const block = ini.split(/^\[/m).find((b) => b.startsWith(`${section}]`));
  if (block === undefined) return {};
  return Object.fromEntries(block.split('\n').slice(1).filter((l) => l.includes(' = ')).map((l) => l.split(' = ') as [string, string]));
}

function container(objects: readonly KubeObject[]) {
  return find(objects, 'Deployment', 'grafana').spec.template.spec.containers[0];
}

function buildGrafana(profile: 'dev' | 'prod', overrides?: StackOverrides): KubeObject[] {
  return grafanaObjects(buildEnv(profile, overrides));
}

describe('Grafana datasources', () => {
  test.each(ENV_NAMES)('%s: every link points at a provisioned uid; each enabled component\'s datasources appear exactly once', (env) => {
    const build = synthAll().builds.find((b) => b.env.name === env)!;
    const cfg = build.env.config;
    const file = datasourcesOf(manifestObjects(synthAll(), env));
    const uids = file.datasources.map((d) => d.uid);
    const referenced = referencedDatasourceUids(file);
    expect(referenced.length).toBeGreaterThan(0);
    for (const uid of referenced) expect(uids).toContain(uid);
    // The stack's datasources are the enabled components' contributions, each once; the user's follow.
    const contributed = REGISTRY.filter((c) => c.enabled(cfg)).flatMap((c) => c.datasources?.contribute({ cfg, endpoints: build.endpoints, connect: (to) => to }) ?? []).map((d) => d.uid);
    const extra = cfg.grafana.extraDatasources.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.filter((u) => !extra.includes(u)).sort()).toEqual([...contributed].sort());
  });

  test.each(ENV_NAMES)('%s: every datasource URL resolves to a Service port in the output', (env) => {
    const build = synthAll().builds.find((b) => b.env.name === env)!;
    const objects = manifestObjects(synthAll(), env);
    const file = datasourcesOf(objects);
    const external = externalEndpoints(build.env.config).filter((e) => e.from === 'grafana').map((e) => e.url);
    for (const ds of file.datasources) {
      // A long-term metrics store is outside the output on purpose (an external endpoint of the config).
      if (external.includes(ds.url)) continue;
      const url = new URL(ds.url);
      const [service, namespace, svc] = url.hostname.split('.');
      expect(svc).toBe('svc');
      const target = find(objects, 'Service', service, namespace);
      expect(build.charts.some((c) => c.node.id === ds.type)).toBe(true);
      expect(target.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(url.port));
    }
    // The Alertmanager in every profile; next to a long-term store, the local rules' Prometheus too.
    const local = build.env.config.grafana.metricsDatasource.url !== '' ? ['prometheus'] : [];
    expect(file.datasources.map((d) => d.type)).toEqual(['prometheus', 'loki', 'tempo', ...local, 'alertmanager']);
  });

  test('datasource URLs are the endpoint registry\'s', () => {
    const build = buildEnv('dev');
    const file = datasourcesOf(grafanaObjects(build));
    expect(file.datasources.map((d) => d.url)).toEqual([
      build.endpoints.prometheus.http.url, build.endpoints.loki.http.url, build.endpoints.tempo.http.url, build.endpoints.alertmanager.http.url,
    ]);
  });

  test('provisioning file escapes $ so Grafana does not expand placeholders as environment variables', () => {
    const text: string = find(buildGrafana('dev'), 'ConfigMap', 'grafana').data['datasources.yaml'];
    expect(text).toContain('$${__value.raw}');
    expect(text).toContain('$$__tags');
    expect(text.replace(/\$\$/g, '')).not.toContain('$');
  });

  test('Tempo datasource matches the Tempo the stack deploys (streaming, span-metrics labels)', () => {
    const objects = objectsOf(buildEnv('dev'));
    const tempoCfg = load(find(objects, 'ConfigMap', 'tempo').data['tempo.yaml']) as {
      stream_over_http_enabled?: boolean;
      metrics_generator?: { processor?: { span_metrics?: { dimension_mappings?: Array<{ name: string }> } } };
    };
    const tempo = datasourcesOf(objects).datasources.find((d) => d.type === 'tempo')!.jsonData as unknown as TempoJsonData;
    expect(tempo.streamingEnabled).toEqual({ search: tempoCfg.stream_over_http_enabled === true, metrics: tempoCfg.stream_over_http_enabled === true });
    // traces -> metrics may only filter on labels span metrics carry: service plus the configured dimensions.
    const dims = (tempoCfg.metrics_generator?.processor?.span_metrics?.dimension_mappings ?? []).map((d) => d.name);
    for (const tag of tempo.tracesToMetrics!.tags) expect(['service', ...dims]).toContain(tag.value);
  });

  test('only deployed components get a datasource', () => {
    const file = datasourcesOf(buildGrafana('dev', { loki: { enabled: false }, tempo: { enabled: false }, demo: { enabled: false }, alertmanager: { enabled: false } }));
    expect(file.datasources.map((d) => d.uid)).toEqual([DS.metrics.uid]);
    expect(file.prune).toBe(true);
  });

  test('Loki tenant header is present exactly when a tenant is set', () => {
    const none = datasourcesOf(buildGrafana('dev')).datasources.find((d) => d.type === 'loki')!;
    expect(JSON.stringify(none)).not.toContain(LOKI_TENANT_HEADER);
    expect(none.secureJsonData).toBeUndefined();
    const set = datasourcesOf(buildGrafana('dev', { loki: { tenant: 'team-a' } })).datasources.find((d) => d.type === 'loki')!;
    expect(set.jsonData).toMatchObject({ httpHeaderName1: LOKI_TENANT_HEADER });
    expect(set.secureJsonData).toEqual({ httpHeaderValue1: 'team-a' });
  });

  test('wires: Grafana queries each datasource, Prometheus scrapes Grafana on the port it serves', () => {
    const build = buildEnv('dev');
    const wires = build.wires.map((w) => `${w.from} ${w.kind} ${w.to.component}:${w.to.portName}`);
    expect(wires).toEqual(expect.arrayContaining([
      'grafana query prometheus:http-metrics', 'grafana query loki:http-metrics', 'grafana query tempo:http-metrics', 'prometheus scrape grafana:http',
    ]));
    const objects = objectsOf(build);
    const prom = load(find(objects, 'ConfigMap', 'prometheus').data['prometheus.yaml']) as { scrape_configs: Array<{ job_name: string; relabel_configs: Array<{ regex?: string; action?: string; source_labels?: string[] }> }> };
    const job = prom.scrape_configs.find((j) => j.job_name === 'grafana')!;
    const keep = job.relabel_configs.find((r) => r.action === 'keep' && r.source_labels?.[0] === '__meta_kubernetes_pod_container_port_name')!;
    expect(container(objects).ports.map((p: { name: string }) => p.name)).toContain(keep.regex);
  });
});

describe('Grafana credentials', () => {
  test.each(ENV_NAMES)('%s: no credential value in the output', (env) => {
    const prefix = `${env}/manifests/`;
    const text = [...synthAll().files.entries()].filter(([p]) => p.startsWith(prefix)).map(([, c]) => c).join('\n');
    // grafana.ini keys, datasource password fields, and literal values of any password-like setting.
    expect(text).not.toMatch(/^\s*admin_(user|password)\s*=/m);
    expect(text).not.toMatch(/^\s*"?password"?\s*[:=]/im);
    // A datasource password is only ever a reference to Grafana's environment.
    for (const m of text.matchAll(/basicAuthPassword:\s*(.*)$/gm)) expect(m[1]).toMatch(/^\$\{[A-Z_]+\}$/);
    const objects = manifestObjects(synthAll(), env);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const containerEnv = container(objects).env as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }>;
    for (const e of containerEnv) {
      if (/ADMIN|PASSWORD|SECRET|TOKEN/.test(e.name)) {
        expect(e).not.toHaveProperty('value');
        expect(e.valueFrom).toHaveProperty('secretKeyRef');
      }
    }
    // Secure values: the Loki tenant (not a secret), or a reference to a variable filled from a Secret.
    const fromSecret = new Set(containerEnv.filter((e) => e.valueFrom?.secretKeyRef !== undefined).map((e) => e.name));
    for (const ds of datasourcesOf(objects).datasources) {
      for (const [key, value] of Object.entries(ds.secureJsonData ?? {})) {
        const refs = [...value.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]);
        if (key === 'basicAuthPassword' || refs.length > 0) {
          expect({ key, refs: refs.length, fromSecret: refs.every((r) => fromSecret.has(r)) }).toEqual({ key, refs: 1, fromSecret: true });
        } else {
          expect({ ds: ds.type, key }).toEqual({ ds: 'loki', key: 'httpHeaderValue1' });
        }
      }
    }
  });

  test('large reads the long-term store with basic auth: user in the datasource, password from the user\'s Secret', () => {
    const objects = objectsOf(buildEnv('large'));
    const prom = datasourcesOf(objects).datasources.find((d) => d.type === 'prometheus')!;
    expect(prom).toMatchObject({
      url: 'https://mimir.example.com/prometheus', basicAuth: true, basicAuthUser: 'obs-stack',
      secureJsonData: { basicAuthPassword: `\${${METRICS_DATASOURCE_ENV.basicAuthPassword}}` },
    });
    expect(container(objects).env).toContainEqual({
      name: METRICS_DATASOURCE_ENV.basicAuthPassword, valueFrom: { secretKeyRef: { name: 'metrics-query', key: 'password' } },
    });
  });

  test('a bearer token becomes one more custom header after the configured ones, from the user\'s Secret', () => {
    const objects = objectsOf(buildEnv('prod', { grafana: { metricsDatasource: {
      url: 'https://mimir.example.com/prometheus', type: 'Mimir', headers: { 'X-Scope-OrgID': 'team-$a' }, bearerToken: { secretName: 'mimir-token', tokenKey: 'token' },
    } } }));
    const prom = datasourcesOf(objects).datasources.find((d) => d.type === 'prometheus')!;
    expect(prom.basicAuth).toBeUndefined();
    expect(prom.jsonData).toMatchObject({ httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'Authorization' });
    // Configured values stay literal ($$); only the credential is expanded from the environment.
    expect(prom.secureJsonData).toEqual({ httpHeaderValue1: 'team-$$a', httpHeaderValue2: `Bearer \${${METRICS_DATASOURCE_ENV.bearerToken}}` });
    expect(container(objects).env).toContainEqual({
      name: METRICS_DATASOURCE_ENV.bearerToken, valueFrom: { secretKeyRef: { name: 'mimir-token', key: 'token' } },
    });
  });

  test('waits for a backend longer than the backends\' HTTP write timeouts ([dataproxy] and each datasource)', () => {
    const objects = grafanaObjects(buildEnv('prod'));
    expect(iniSection(iniOf(objects), 'dataproxy')).toEqual({ timeout: '120' });
    for (const ds of datasourcesOf(objects).datasources) expect((ds.jsonData as { timeout?: number }).timeout).toBe(120);
    const prom = datasourcesOf(objects).datasources.find((d) => d.type === 'prometheus')!;
    expect((prom.jsonData as { queryTimeout?: string }).queryTimeout).toBe('60s');
  });

  test('prod reads the admin user and password from the configured Secret', () => {
    const env = container(buildGrafana('prod', { grafana: { adminSecret: { name: 'my-admin', userKey: 'u', passwordKey: 'p' } } })).env;
    expect(env).toEqual(expect.arrayContaining([
      { name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: 'my-admin', key: 'u' } } },
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'my-admin', key: 'p' } } },
    ]));
  });

  test('dev without a Secret sets no admin variables and says the first-login default applies', () => {
    const objects = buildGrafana('dev');
    expect(container(objects).env.map((e: { name: string }) => e.name).filter((n: string) => n.startsWith('GF_SECURITY'))).toEqual([]);
    expect(find(objects, 'Deployment', 'grafana').metadata.annotations?.[DEFAULT_ADMIN_ANNOTATION]).toMatch(/first login.*grafana\.adminSecret\.name/);
    expect(find(buildGrafana('prod'), 'Deployment', 'grafana').metadata.annotations?.[DEFAULT_ADMIN_ANNOTATION]).toBeUndefined();
  });

  test('the documented Secret command creates exactly the name and keys the Deployment reads', () => {
    const build = buildEnv('prod');
    const cmd = adminSecretCommand(build.env.config.grafana, build.env.config.common.namespace);
    expect(cmd).toBe('kubectl -n observability create secret generic grafana-admin --from-literal=admin-user=admin --from-literal=admin-password="$(openssl rand -base64 24)"');
    for (const e of container(grafanaObjects(build)).env.filter((x: { valueFrom?: unknown }) => x.valueFrom)) {
      expect(cmd).toContain(` ${e.valueFrom.secretKeyRef.name} `);
      expect(cmd).toContain(`--from-literal=${e.valueFrom.secretKeyRef.key}=`);
    }
  });

  test('fails when prod has no admin Secret name', () => {
    expect(() => buildEnv('prod', { grafana: { adminSecret: { name: '' } } })).toThrow(
      /grafana\.adminSecret\.name: "" is empty, and this profile does not allow Grafana's default admin password; create a Secret \(see README: kubectl create secret generic grafana-admin/,
    );
  });

  test('fails when an admin Secret key is not a valid key', () => {
    expect(() => buildEnv('prod', { grafana: { adminSecret: { passwordKey: 'pass word' } } })).toThrow(
      /grafana\.adminSecret\.passwordKey: "pass word" is not a valid Secret key; use letters, digits/,
    );
  });

  test('fails when the user and password keys are the same', () => {
    expect(() => buildEnv('prod', { grafana: { adminSecret: { userKey: 'k', passwordKey: 'k' } } })).toThrow(
      /grafana\.adminSecret\.passwordKey: "k" equals grafana\.adminSecret\.userKey; use two keys/,
    );
  });
});

describe('Grafana workload', () => {
  test('prod: one replica, Recreate, data on a standalone PVC labelled with selector labels', () => {
    const objects = buildGrafana('prod', { common: { storageClassName: 'standard' } });
    const dep = find(objects, 'Deployment', 'grafana');
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy).toEqual({ type: 'Recreate' });
    const pvc = find(objects, 'PersistentVolumeClaim', 'grafana-data');
    expect(pvc.metadata.labels).toEqual(dep.spec.selector.matchLabels);
    expect(pvc.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } });
    const data = dep.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data');
    expect(data).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'grafana-data' } });
  });

  test('storage class: the component\'s own wins over the common one', () => {
    const pvc = find(buildGrafana('prod', { grafana: { storage: { storageClassName: 'fast' } } }), 'PersistentVolumeClaim', 'grafana-data');
    expect(pvc.spec.storageClassName).toBe('fast');
  });

  test('dev: data on a size-capped emptyDir, no PVC', () => {
    const objects = buildGrafana('dev');
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    const data = find(objects, 'Deployment', 'grafana').spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data');
    expect(data).toEqual({ name: 'data', emptyDir: { sizeLimit: '1Gi' } });
  });

  test.each(['dev', 'prod'] as const)('%s: restricted pod, every mount backed by a volume, probes on /api/health', (profile) => {
    const spec = find(buildGrafana(profile), 'Deployment', 'grafana').spec.template.spec;
    const c = spec.containers[0];
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 472, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const volumes = new Set(spec.volumes.map((v: { name: string }) => v.name));
    for (const m of c.volumeMounts) expect(volumes).toContain(m.name);
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(expect.arrayContaining(['/tmp', GRAFANA_PATHS.dataDir]));
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[p].httpGet).toMatchObject({ path: '/api/health', port: 'http' });
    expect(c.resources.limits).toBeDefined();
    expect(c.image).toBe('docker.io/grafana/grafana:13.2.0');
  });

  test('grafana.ini and provisioning files land where the GF_PATHS_* variables point', () => {
    const objects = buildGrafana('dev');
    const spec = find(objects, 'Deployment', 'grafana').spec.template.spec;
    const env = Object.fromEntries(spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    const mount = spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'config');
    const items = spec.volumes.find((v: { name: string }) => v.name === 'config').configMap.items.map((i: { path: string }) => `${mount.mountPath}/${i.path}`);
    expect(items).toEqual([
      env.GF_PATHS_CONFIG,
      `${env.GF_PATHS_PROVISIONING}/${PROVISIONING_FILES.datasources}`,
      `${env.GF_PATHS_PROVISIONING}/${PROVISIONING_FILES.dashboards}`,
    ]);
    const paths = iniSection(iniOf(objects), 'paths');
    expect(paths).toEqual({ data: env.GF_PATHS_DATA, logs: env.GF_PATHS_LOGS, plugins: env.GF_PATHS_PLUGINS, provisioning: env.GF_PATHS_PROVISIONING });
    const provider = load(find(objects, 'ConfigMap', 'grafana').data['dashboard-providers.yaml']) as { providers: Array<{ options: { path: string } }> };
    const dashMount = spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'dashboards');
    expect(provider.providers[0].options.path).toBe(dashMount.mountPath);
  });

  test('checksum covers config and dashboards, not labels', () => {
    const sum = (objects: readonly KubeObject[]) => find(objects, 'Deployment', 'grafana').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    const base = sum(buildGrafana('dev'));
    expect(sum(buildGrafana('dev', { common: { labels: { team: 'obs' } } }))).toBe(base);
    expect(sum(buildGrafana('dev', { loki: { tenant: 'a' } }))).not.toBe(base);
    expect(sum(buildGrafana('dev', { grafana: { ingress: { enabled: true, host: 'g.example.com' } } }))).not.toBe(base);
    expect(sum(grafanaWithDashboards({ 'a.json': '{}' }))).not.toBe(sum(grafanaWithDashboards({ 'a.json': '{"x":1}' })));
    expect(sum(grafanaWithDashboards({}))).not.toBe(sum(grafanaWithDashboards({ 'a.json': '{}' })));
  });
});

/** The dev Grafana chart built standalone with the given dashboards. */
function grafanaWithDashboards(dashboards: Record<string, string>): KubeObject[] {
  const build = buildEnv('dev');
  const cfg = build.env.config;
  const chart = new Grafana(new App({ outdir: '.unused' }), 'grafana', {
    config: cfg.grafana, common: cfg.common, image: cfg.grafana.image, labeler: new Labeler(build.env.name, cfg.common.labels),
    endpoint: build.endpoints.grafana.http,
    datasources: { datasources: collectedDatasources('dev') },
    dashboards,
  });
  // The composition root runs this pass over every chart.
  addConfigChecksums(chart);
  return chart.toJson() as KubeObject[];
}

describe('Grafana dashboards provider', () => {
  test('the stack provisions its dashboards, one ConfigMap each', () => {
    const names = buildGrafana('dev').filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name).sort();
    expect(names).toEqual([
      'grafana', 'grafana-dashboard-containers',
      'grafana-dashboard-kubernetes-cluster', 'grafana-dashboard-kubernetes-control-plane', 'grafana-dashboard-kubernetes-nodes',
      'grafana-dashboard-kubernetes-volumes', 'grafana-dashboard-kubernetes-workloads',
      'grafana-dashboard-services-red', 'grafana-dashboard-stack-health',
    ]);
  });

  test('a provider for the stack folder that does not allow UI edits', () => {
    const provider = load(find(buildGrafana('dev'), 'ConfigMap', 'grafana').data['dashboard-providers.yaml']) as { providers: Array<Record<string, unknown>> };
    expect(provider.providers).toHaveLength(1);
    expect(provider.providers[0]).toMatchObject({ type: 'file', folder: GRAFANA_FOLDER.title, folderUid: GRAFANA_FOLDER.uid, allowUiUpdates: false });
  });

  test('no dashboards: an empty directory, no dashboard ConfigMaps', () => {
    const objects = grafanaWithDashboards({});
    expect(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name)).toEqual(['grafana']);
    const vol = find(objects, 'Deployment', 'grafana').spec.template.spec.volumes.find((v: { name: string }) => v.name === 'dashboards');
    expect(vol.emptyDir).toBeDefined();
  });

  test('dashboards: one ConfigMap each, projected into the provider\'s directory', () => {
    const objects = grafanaWithDashboards({ 'service-red.json': '{"title":"RED"}', 'Cluster_Overview.json': '{"title":"Cluster"}' });
    expect(find(objects, 'ConfigMap', 'grafana-dashboard-service-red').data).toEqual({ 'service-red.json': '{"title":"RED"}' });
    expect(find(objects, 'ConfigMap', 'grafana-dashboard-cluster-overview').data).toEqual({ 'Cluster_Overview.json': '{"title":"Cluster"}' });
    const vol = find(objects, 'Deployment', 'grafana').spec.template.spec.volumes.find((v: { name: string }) => v.name === 'dashboards');
    expect(vol.projected.sources).toEqual([
      { configMap: { name: 'grafana-dashboard-cluster-overview' } },
      { configMap: { name: 'grafana-dashboard-service-red' } },
    ]);
  });

  test('fails when a dashboard would not fit in a ConfigMap', () => {
    expect(() => planDashboards({ 'big.json': 'x'.repeat(1024 * 1024) })).toThrow(/big\.json is 1048576 bytes, over the \d+-byte ConfigMap budget; split the dashboard/);
  });

  test('fails when a dashboard file name is not a JSON file name', () => {
    expect(() => planDashboards({ 'a/b.json': '{}' })).toThrow(/file name "a\/b\.json" is not a "<name>\.json"/);
  });

  test('fails when two dashboard files map to one ConfigMap', () => {
    expect(() => planDashboards({ 'a_b.json': '{}', 'a-b.json': '{}' })).toThrow(/a-b\.json and a_b\.json map to the same ConfigMap grafana-dashboard-a-b/);
    expect(dashboardConfigMapName('My Dash.json')).toBe('grafana-dashboard-my-dash');
  });
});

describe('Grafana access', () => {
  test('dev: no Ingress, default root URL, the Service says how to port-forward', () => {
    const objects = buildGrafana('dev');
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(iniSection(iniOf(objects), 'server')).not.toHaveProperty('root_url');
    expect(iniSection(iniOf(objects), 'security').cookie_secure).toBe('false');
    expect(find(objects, 'Service', 'grafana').metadata.annotations?.[ACCESS_ANNOTATION]).toBe(
      'kubectl -n observability port-forward svc/grafana 13000:3000, then open http://localhost:13000/',
    );
  });

  test('prod Ingress with TLS: host, class, TLS Secret, https root URL and secure cookies', () => {
    const objects = buildGrafana('prod', { grafana: { ingress: { enabled: true, host: 'grafana.example.com', className: 'nginx', tlsSecretName: 'grafana-tls' } } });
    const ing = find(objects, 'Ingress', 'grafana');
    expect(ing.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['grafana.example.com'], secretName: 'grafana-tls' }],
      rules: [{ host: 'grafana.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'grafana', port: { name: 'http' } } } }] } }],
    });
    const svc = find(objects, 'Service', 'grafana');
    expect(svc.spec.ports.map((p: { name: string }) => p.name)).toContain('http');
    expect(iniSection(iniOf(objects), 'server')).toMatchObject({ root_url: 'https://grafana.example.com/', domain: 'grafana.example.com' });
    expect(iniSection(iniOf(objects), 'security').cookie_secure).toBe('true');
  });

  test('Ingress without TLS: http root URL, cookies not secure-only', () => {
    const objects = buildGrafana('prod', { grafana: { ingress: { enabled: true, host: 'grafana.internal' } } });
    expect(find(objects, 'Ingress', 'grafana').spec).not.toHaveProperty('tls');
    expect(iniSection(iniOf(objects), 'server').root_url).toBe('http://grafana.internal/');
    expect(iniSection(iniOf(objects), 'security').cookie_secure).toBe('false');
  });

  test('fails when the Ingress is enabled without a host', () => {
    expect(() => buildEnv('prod', { grafana: { ingress: { enabled: true } } })).toThrow(
      /grafana\.ingress\.host: "" is empty but grafana\.ingress\.enabled is true; set the public host name/,
    );
  });

  test('fails when the Ingress host is not a DNS name', () => {
    expect(() => buildEnv('prod', { grafana: { ingress: { enabled: true, host: 'https://grafana.example.com' } } })).toThrow(
      /grafana\.ingress\.host: "https:\/\/grafana\.example\.com" is not a valid DNS name/,
    );
  });
});

describe('grafana.ini', () => {
  test.each(['dev', 'prod'] as const)('%s: no phoning home, no anonymous access, no sign-up, JSON logs', (profile) => {
    const ini = iniOf(buildGrafana(profile));
    expect(iniSection(ini, 'analytics')).toMatchObject({ reporting_enabled: 'false', check_for_updates: 'false', check_for_plugin_updates: 'false' });
    expect(iniSection(ini, 'auth.anonymous')).toEqual({ enabled: 'false' });
    expect(iniSection(ini, 'users')).toMatchObject({ allow_sign_up: 'false' });
    expect(iniSection(ini, 'security')).toMatchObject({ disable_gravatar: 'true' });
    expect(iniSection(ini, 'log')).toMatchObject({ mode: 'console' });
    expect(iniSection(ini, 'log.console')).toEqual({ format: 'json' });
    expect(iniSection(ini, 'database')).toMatchObject({ type: 'sqlite3', path: 'grafana.db' });
    expect(iniSection(ini, 'server').http_port).toBe('3000');
  });

  test('Grafana disabled: no chart, no datasource wires, no scrape job', () => {
    const build = buildEnv('dev', { grafana: { enabled: false } });
    expect(build.charts.map((c) => c.node.id)).not.toContain('grafana');
    expect(build.wires.filter((w) => w.from === 'grafana' || w.to.component === 'grafana')).toEqual([]);
  });
});
