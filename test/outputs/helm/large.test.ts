/**
 * The Helm path of the `large` profile: Loki SimpleScalable on object storage, Tempo on object storage,
 * Prometheus remote_write; parity with the manifests, credentials by Secret reference only, every URL on a
 * chart Service or a declared external endpoint, snapshots, and the configs the charts cannot follow.
 */
import { load, loadAll } from 'js-yaml';
import { renderRemoteWrite } from '../../../src/components/prometheus/prometheus';
import { goMemLimit, parseQuantity } from '../../../src/config/units';
import { externalEndpoints } from '../../../src/lib/external';
import { toYaml } from '../../../src/lib/yaml';
import { renderHelm } from '../../../src/outputs/helm';
import { synthesize } from '../../../src/outputs/synthesize';
import { DEFAULT_RELEASES, allChartServices, helmEndpoints } from '../../../src/outputs/helm/services';
import { lokiScalableServices } from '../../../src/components/loki/helm';
import { type LokiChartValues, type LokiTargetValues, helmLokiConfig, lokiValues } from '../../../src/components/loki/helm-values';
import type { GrafanaChartValues } from '../../../src/components/grafana/helm-values';
import type { PrometheusChartValues } from '../../../src/components/prometheus/helm-values';
import { type TempoChartValues, helmTempoConfig, tempoValues } from '../../../src/components/tempo/helm-values';
import { manifestsPod } from '../../../src/lib/manifests-pods';
import { normaliser, untpl } from '../../support/helm';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

const build = buildEnv('large', undefined, 'large');
const cfg = build.env.config;
const helm = renderHelm(build);
const objects = objectsOf(build);
const loki = helm.values.get('loki') as LokiChartValues;
const tempo = helm.values.get('tempo') as TempoChartValues;
const prometheus = helm.values.get('prometheus') as PrometheusChartValues;

describe('Helm path of the large profile', () => {
  test('Loki config embedded = renderer with the chart Services = manifests modulo endpoints', () => {
    const fromValues = load(untpl(loki.loki.config, 2)) as any;
    expect(fromValues).toEqual(helmLokiConfig({ cfg, endpoints: helmEndpoints(cfg) }));
    expect(load(normaliser(build)(toYaml(fromValues)))).toEqual(configMapYaml(objects, 'loki', 'loki.yaml'));
    const s = lokiScalableServices(cfg, DEFAULT_RELEASES);
    expect(fromValues.memberlist.join_members).toEqual([`${s.memberlist.name}.${s.memberlist.namespace}.svc:7946`]);
    expect(fromValues.frontend.tail_proxy_url).toBe(`http://${s.read.name}.observability.svc:${cfg.loki.ports.http}`);
    expect(loki.deploymentMode).toBe('SimpleScalable');
    expect(loki.singleBinary).toEqual({ replicas: 0 });
    expect(loki.loki.storage).toEqual({ type: 's3', bucketNames: { chunks: cfg.loki.objectStorage.bucket, ruler: cfg.loki.objectStorage.bucket, admin: cfg.loki.objectStorage.bucket } });
  });

  test('Grafana reads the long-term store with the credential from the user\'s Secret, as the manifests (envValueFrom)', () => {
    const grafana = helm.values.get('grafana') as GrafanaChartValues;
    const c = find(objects, 'Deployment', 'grafana').spec.template.spec.containers[0];
    const fromSecret = c.env.filter((e: { name: string; valueFrom?: { secretKeyRef?: unknown } }) => e.valueFrom?.secretKeyRef !== undefined && !e.name.startsWith('GF_SECURITY_ADMIN'));
    expect(Object.entries(grafana.envValueFrom ?? {}).map(([name, valueFrom]) => ({ name, valueFrom }))).toEqual(fromSecret);
    expect(fromSecret).toEqual([{ name: 'METRICS_DATASOURCE_BASIC_AUTH_PASSWORD', valueFrom: { secretKeyRef: { name: 'metrics-query', key: 'password' } } }]);
    const prom = grafana.datasources['datasources.yaml'].datasources.find((d) => d.type === 'prometheus')!;
    expect(prom).toMatchObject({ basicAuth: true, basicAuthUser: 'obs-stack', secureJsonData: { basicAuthPassword: '${METRICS_DATASOURCE_BASIC_AUTH_PASSWORD}' } });
  });

  test('replicas, resources, GOMEMLIMIT and credentials (Secret references only) per target, as the manifests', () => {
    for (const t of ['write', 'read', 'backend'] as const) {
      const v = loki[t] as LokiTargetValues;
      expect(v.replicas).toBe(cfg.loki[t].replicas);
      expect(v.resources).toEqual(cfg.loki[t].resources);
      const kind = t === 'read' ? 'Deployment' : 'StatefulSet';
      const c = find(objects, kind, `loki-${t}`).spec.template.spec.containers[0];
      // The manifests' env exactly: this target's GOMEMLIMIT (the chart then adds none), then the credentials;
      // plus Go's default GOGC, so the chart adds no GOGC=80 (the manifests set none).
      expect(v.extraEnv!.filter((e) => e.name !== 'GOGC')).toEqual(c.env);
      expect(v.extraEnv![0]).toEqual({ name: 'GOMEMLIMIT', value: goMemLimit(parseQuantity(cfg.loki[t].resources.limits.memory)!) });
      expect(v.extraEnv![1]).toEqual({ name: 'GOGC', value: '100' });
      for (const e of v.extraEnv!.slice(2)) expect(e).toEqual({ name: e.name, valueFrom: { secretKeyRef: expect.any(Object) } });
      expect(v.affinity).toHaveProperty('podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution');
    }
  });

  test('Tempo: object storage and credentials like the manifests; expand-env exactly when the config holds ${VAR}', () => {
    const fromValues = load(untpl(tempo.config));
    expect(fromValues).toEqual(helmTempoConfig({ cfg, endpoints: helmEndpoints(cfg) }));
    expect(load(normaliser(build)(toYaml(fromValues)))).toEqual(configMapYaml(objects, 'tempo', 'tempo.yaml'));
    const c = find(objects, 'StatefulSet', 'tempo').spec.template.spec.containers[0];
    expect(c.args).toContain('-config.expand-env=true');
    expect(tempo.tempo.extraArgs).toEqual({ 'config.expand-env': 'true' });
    expect(tempo.tempo.extraEnv).toEqual(c.env);
    expect(tempo.tempo.extraEnv.filter((e) => e.valueFrom).length).toBeGreaterThan(0);
  });

  test('Prometheus remote_write equals the manifests\'; each credential Secret is mounted where the file path points', () => {
    const manifests = configMapYaml(objects, 'prometheus', 'prometheus.yaml');
    expect(prometheus.server.remoteWrite).toEqual(manifests.remote_write);
    expect(prometheus.server.remoteWrite).toEqual(renderRemoteWrite(cfg.prometheus.remoteWrite));
    for (const rw of prometheus.server.remoteWrite ?? []) {
      const file = rw.basic_auth?.password_file ?? '';
      expect(prometheus.server.extraSecretMounts!.some((m) => file.startsWith(`${m.mountPath}/`))).toBe(true);
    }
  });

  test('no credential material: only Secret names and keys, and ${VAR} references', () => {
    const text = [...helm.files.values()].join('\n');
    expect(text).not.toMatch(/AKIA|BEGIN PRIVATE KEY|password:\s*\S/);
  });

  test('every URL resolves to a chart Service of this environment or a declared external endpoint', () => {
    const services = allChartServices(cfg);
    const external = externalEndpoints(cfg);
    const found: string[] = [];
    for (const [key, v] of helm.values) {
      // Alert runbook links are for people, not addresses the stack connects to.
      const text = untpl(JSON.stringify(v), key === 'loki' ? 2 : 1).replace(/runbook_url: https?:\/\/[A-Za-z0-9./_-]+/g, '');
      for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+)(?::(\d+))?/g)) {
        const [url, host, port] = m;
        if (!host.includes('.')) continue;
        found.push(url);
        if (host.endsWith('.svc')) {
          const [name, ns] = host.split('.');
          const s = services.find((x) => x.name === name && x.namespace === ns);
          expect({ url, service: s?.name }).toEqual({ url, service: name });
          expect(s!.ports.map((p) => String(p.port))).toContain(port ?? '80');
        } else {
          expect({ url, external: external.some((e) => e.host === host) }).toEqual({ url, external: true });
        }
      }
      // host:port addresses (memberlist, gRPC) inside the Loki config
      if (key === 'loki') {
        for (const m of text.matchAll(/(?:dns\+)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc:(\d+)/g)) {
          const s = services.find((x) => x.name === m[1] && x.namespace === m[2]);
          expect({ addr: m[0], ok: s?.ports.some((p) => String(p.port) === m[3]) }).toEqual({ addr: m[0], ok: true });
        }
      }
    }
    expect(found.some((u) => u.includes('loki-write'))).toBe(true);
    expect(found.some((u) => u.includes('loki-read'))).toBe(true);
    expect(found.some((u) => u.includes('mimir.example.com'))).toBe(true);
  });
});

describe('Helm path failures', () => {
  test('fails when tempo.replicas > 1 (names path, value and fix)', () => {
    const b = buildEnv('large', { tempo: { replicas: 3, replicationFactor: 3 } }, 'x');
    expect(() => renderHelm(b)).toThrow(/tempo\.replicas: 3 cannot be expressed by the tempo chart 2\.2\.4.*set tempo\.replicas to 1.*helm\.enabled: false.*tempo-distributed/);
  });

  test('GIVEN helm.enabled: false THEN a multi-replica Tempo synthesizes, manifests only', () => {
    const def = { name: 'big', profile: 'large' as const, overrides: { tempo: { replicas: 3, replicationFactor: 3 }, helm: { enabled: false } } };
    const { files } = synthesize([def]);
    expect([...files.keys()].some((p) => p.startsWith('big/helm/') || p.startsWith('argocd/helm/big/'))).toBe(false);
    const tempo = loadAll(files.get('big/manifests/tempo.yaml')!) as Array<{ kind: string; spec: { replicas?: number } }>;
    expect(tempo.find((o) => o.kind === 'StatefulSet')!.spec.replicas).toBe(3);
  });

  test('fails when the Loki memberlist port differs from the chart\'s fixed 7946', () => {
    const b = buildEnv('large', { loki: { ports: { memberlist: 7947 } } }, 'x');
    expect(() => renderHelm(b)).toThrow(/loki\.ports\.memberlist: 7947 is hard-coded to 7946 by the loki chart.*set it to 7946/);
  });

  test('fails on a "$" in the Loki or Tempo config other than the credential references (names the key path)', () => {
    // Validation keeps "$" out of buckets and URLs; a region is free text, so the builders are the last line.
    const l = { ...cfg, loki: { ...cfg.loki, objectStorage: { ...cfg.loki.objectStorage, region: 'eu-$HOME' } } };
    const pods = (name: string) => manifestsPod(build, name === 'loki-read' ? 'Deployment' : 'StatefulSet', name);
    expect(() => lokiValues({ cfg: l, endpoints: helmEndpoints(l), pods }))
      .toThrow(/loki config common\.storage\.s3\.region: "eu-\$HOME" contains "\$".*only \$\{OBJECT_STORE_ACCESS_KEY_ID\}, \$\{OBJECT_STORE_SECRET_ACCESS_KEY\} are meant to be.*remove the "\$"/);
    const t = { ...cfg, tempo: { ...cfg.tempo, objectStorage: { ...cfg.tempo.objectStorage, region: 'eu-$X' } } };
    expect(() => tempoValues({ cfg: t, endpoints: helmEndpoints(t), pod: manifestsPod(build, 'StatefulSet', 'tempo') })).toThrow(/tempo config \S+region: "eu-\$X" contains "\$"/);
  });
});
