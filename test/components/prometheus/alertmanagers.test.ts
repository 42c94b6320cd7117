import { ruleFilesFor, stackJobs } from '../../../src/components/content';
import { prometheusScrapeOf } from '../../../src/components/prometheus/jobs';
import { dump } from 'js-yaml';
import { prometheusSecretMounts, renderAlertmanagers } from '../../../src/components/prometheus/prometheus';
import { resolveEnvironment } from '../../../src/config/resolve';
import type { StackOverrides } from '../../../src/config/types';
import { externalEndpoints } from '../../../src/lib/external';
import { userSecrets } from '../../../src/lib/user-secrets';
import { renderHelm } from '../../../src/outputs/helm';
import { helmEndpoints, helmPart } from '../../../src/outputs/helm/services';
import { type PrometheusChartValues, helmPrometheusConfig, prometheusConfigFromValues } from '../../../src/components/prometheus/helm-values';
import { findPrometheus, forPromtool, itWithTool, promtool, substituteKubernetesSd } from '../../support/checks';
import { errorOf } from '../../support/config-errors';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

const NS = 'observability';
const itPromtool = itWithTool('promtool');

/** One Alertmanager outside the cluster (basic auth, served under a path), one inside (bearer token), one open. */
const OVERRIDES: StackOverrides = {
  prometheus: {
    remoteWrite: [{ name: 'mimir', url: 'https://mimir.example.com/api/v1/push', bearerToken: { secretName: 'shared-auth', tokenKey: 'rw-token' } }],
  },
  alerts: {
    alertmanagers: [
      { url: 'https://alertmanager.example.com', pathPrefix: '/alertmanager', basicAuth: { username: 'prometheus', secretName: 'am-basic', passwordKey: 'password' } },
      { url: 'http://alertmanager.monitoring.svc:9093', bearerToken: { secretName: 'shared-auth', tokenKey: 'am-token' } },
      { url: 'http://alertmanager-main.monitoring.svc.cluster.local:9093/' },
    ],
  },
  networkPolicy: { enabled: true },
  // The user's Alertmanagers alone here; the in-stack one is tested in test/components/alertmanager.
  alertmanager: { enabled: false },
};

describe('Prometheus alerting.alertmanagers', () => {
  const build = buildEnv('prod', OVERRIDES);
  const cfg = build.env.config;
  const objects = objectsOf(build);
  const promYaml = configMapYaml(objects, 'prometheus', 'prometheus.yaml', NS);
  const sts = find(objects, 'StatefulSet', 'prometheus', NS);

  it('renders one static API v2 target per Alertmanager, port always written, credentials as files', () => {
    expect(promYaml.alerting).toEqual({
      alertmanagers: [
        {
          scheme: 'https', path_prefix: '/alertmanager', api_version: 'v2',
          basic_auth: { username: 'prometheus', password_file: '/etc/prometheus/secrets/am-basic/password' },
          static_configs: [{ targets: ['alertmanager.example.com:443'] }],
        },
        {
          scheme: 'http', api_version: 'v2',
          authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/shared-auth/am-token' },
          static_configs: [{ targets: ['alertmanager.monitoring.svc:9093'] }],
        },
        { scheme: 'http', api_version: 'v2', static_configs: [{ targets: ['alertmanager-main.monitoring.svc.cluster.local:9093'] }] },
      ],
    });
    expect(promYaml.alerting).toMatchSnapshot();
  });

  it('mounts each credential Secret once, read-only, where the *_file paths point (a Secret shared with remote write once)', () => {
    const c = sts.spec.template.spec.containers[0];
    const volumes = sts.spec.template.spec.volumes;
    expect(volumes).toEqual(expect.arrayContaining([
      { name: 'remote-write-0', secret: { secretName: 'shared-auth', items: [{ key: 'am-token', path: 'am-token' }, { key: 'rw-token', path: 'rw-token' }], defaultMode: 0o440 } },
      { name: 'alertmanager-0', secret: { secretName: 'am-basic', items: [{ key: 'password', path: 'password' }], defaultMode: 0o440 } },
    ]));
    expect(volumes.filter((v: { secret?: unknown }) => v.secret !== undefined)).toHaveLength(2);
    const files = promYaml.alerting.alertmanagers.flatMap((a: any) => [a.basic_auth?.password_file, a.authorization?.credentials_file]).filter(Boolean);
    expect(files).toHaveLength(2);
    for (const file of files) {
      const mount = c.volumeMounts.find((m: { mountPath: string }) => file.startsWith(`${m.mountPath}/`));
      expect(mount).toMatchObject({ readOnly: true });
      const vol = volumes.find((v: { name: string }) => v.name === mount.name);
      expect(vol.secret.items.map((i: { path: string }) => `${mount.mountPath}/${i.path}`)).toContain(file);
    }
  });

  it('writes no credential literal: only *_file keys, no inline password, credentials or bearer_token', () => {
    const text = JSON.stringify(promYaml.alerting);
    expect(text).not.toMatch(/"(password|credentials|bearer_token)":/);
    expect(text).toMatch(/"password_file":/);
  });

  it('declares each Alertmanager as an external endpoint of Prometheus, in-cluster ones by Service and namespace', () => {
    const am = externalEndpoints(cfg).filter((e) => e.name.startsWith('alertmanager-'));
    expect(am.map((e) => [e.from, e.host, e.port, e.inCluster])).toEqual([
      ['prometheus', 'alertmanager.example.com', 443, undefined],
      ['prometheus', 'alertmanager.monitoring.svc', 9093, { service: 'alertmanager', namespace: 'monitoring' }],
      ['prometheus', 'alertmanager-main.monitoring.svc.cluster.local', 9093, { service: 'alertmanager-main', namespace: 'monitoring' }],
    ]);
  });

  it('opens Prometheus egress to the external one on its port via externalEgress.cidrs, to the in-cluster ones by namespace', () => {
    const egress = find(objects, 'NetworkPolicy', 'prometheus-egress', NS).spec.egress;
    const ipRule = egress.find((r: any) => r.to?.[0]?.ipBlock !== undefined);
    expect(ipRule.to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
    expect(ipRule.ports.map((p: { port: number }) => p.port)).toContain(443);
    const nsRule = egress.find((r: any) => r.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring');
    expect(nsRule).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9093 }] });
  });

  it('lists the credential Secrets for the user, merging a Secret shared with remote write', () => {
    const secrets = userSecrets(cfg).filter((s) => ['am-basic', 'shared-auth'].includes(s.name));
    expect(secrets).toEqual([
      expect.objectContaining({ name: 'shared-auth', namespace: NS, keys: ['am-token', 'rw-token'] }),
      expect.objectContaining({ name: 'am-basic', namespace: NS, keys: ['password'], purpose: expect.stringContaining('Alertmanager') }),
    ]);
  });

  it('renders nothing without Alertmanagers (none of the user\'s, the in-stack one off): no alerting block, no extra mount, no endpoint', () => {
    expect(renderAlertmanagers([])).toEqual([]);
    expect(prometheusSecretMounts([], [])).toEqual([]);
    for (const profile of ['dev', 'prod'] as const) {
      const b = buildEnv(profile, { alertmanager: { enabled: false } });
      expect(configMapYaml(objectsOf(b), 'prometheus', 'prometheus.yaml', NS).alerting).toBeUndefined();
      expect(externalEndpoints(b.env.config).some((e) => e.name.startsWith('alertmanager-'))).toBe(false);
      const v = renderHelm(b).values.get('prometheus') as PrometheusChartValues;
      expect(v.server.alertmanagers).toBeUndefined();
    }
  });

  itPromtool('passes promtool check config --syntax-only, and promtool refuses a broken alerting block', () => {
    const f = findPrometheus(objects)[0];
    const { config } = forPromtool(substituteKubernetesSd(f.config, objects).config);
    const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': dump(config) });
    expect(r.output).toContain('SUCCESS');
    const broken = JSON.parse(JSON.stringify(config));
    broken.alerting.alertmanagers[0].api_version = 'v9';
    expect(promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': dump(broken) }).ok).toBe(false);
  });

  describe('Helm path', () => {
    const values = renderHelm(build).values.get('prometheus') as PrometheusChartValues;

    it('carries the same alerting block in server.alertmanagers, the chart\'s own Alertmanager off', () => {
      expect(values.server.alertmanagers).toEqual(promYaml.alerting.alertmanagers);
      expect(values.alertmanager.enabled).toBe(false);
      const fromValues = prometheusConfigFromValues(values);
      expect(fromValues.alerting).toEqual(promYaml.alerting);
      expect(fromValues).toEqual(helmPrometheusConfig({ cfg, endpoints: helmEndpoints(cfg), podFacts: (c) => helmPart(c)?.pod, scrape: prometheusScrapeOf(build.scrapeTargets), ruleFiles: ruleFilesFor(cfg, stackJobs(cfg, build.scrapeTargets)) }));
    });

    it('mounts every credential Secret through server.extraSecretMounts where the manifests do', () => {
      const mounts = sts.spec.template.spec.containers[0].volumeMounts.filter((m: { mountPath: string }) => m.mountPath.startsWith('/etc/prometheus/secrets/'));
      expect(values.server.extraSecretMounts).toEqual(mounts.map((m: { name: string; mountPath: string }) => ({
        name: m.name, mountPath: m.mountPath, secretName: m.mountPath.split('/').pop(), readOnly: true,
      })));
    });
  });

  it('sends nothing when alerts are off (validation refuses that combination; the renderers ignore it too)', () => {
    const off = { ...cfg, alerts: { ...cfg.alerts, enabled: false } };
    expect(externalEndpoints(off).some((e) => e.name.startsWith('alertmanager-'))).toBe(false);
    expect(userSecrets(off).some((s) => s.name === 'am-basic')).toBe(false);
  });
});

describe('alerts.alertmanagers validation', () => {
  const am = (x: Record<string, unknown>) => ({ alerts: { alertmanagers: [x] } });

  it('accepts an external and an in-cluster Alertmanager', () => {
    const cfg = resolveEnvironment({ name: 'ok', profile: 'dev', overrides: OVERRIDES }).config;
    expect(cfg.alerts.alertmanagers).toHaveLength(3);
  });

  it('fails when the URL is not an http(s) URL', () => {
    expect(errorOf(am({ url: 'alertmanager:9093' }))).toContain('alerts.alertmanagers[0].url: "alertmanager:9093" is not an http(s) URL; use e.g. "https://alertmanager.example.com"');
  });

  it('fails when the URL has a path (Prometheus reads it from path_prefix only)', () => {
    expect(errorOf(am({ url: 'https://am.example.com/alertmanager' })))
      .toContain('alerts.alertmanagers[0].url: "https://am.example.com/alertmanager" has a path or query; use scheme, host and port only, e.g. "https://alertmanager.example.com", and put the path in pathPrefix');
  });

  it('fails when an Alertmanager is listed twice (same scheme, host, port and pathPrefix)', () => {
    expect(errorOf({ alerts: { alertmanagers: [{ url: 'https://am.example.com' }, { url: 'https://am.example.com:443/' }] } }))
      .toContain('alerts.alertmanagers[1].url: "https://am.example.com:443/" is listed twice (same URL and pathPrefix); list each Alertmanager once');
    expect(() => resolveEnvironment({ name: 'ok', profile: 'dev', overrides: { alerts: { alertmanagers: [{ url: 'https://am.example.com', pathPrefix: '/a' }, { url: 'https://am.example.com', pathPrefix: '/b' }] } } })).not.toThrow();
  });

  it('fails when pathPrefix does not start with "/"', () => {
    expect(errorOf(am({ url: 'https://am.example.com', pathPrefix: 'alertmanager' })))
      .toContain('alerts.alertmanagers[0].pathPrefix: "alertmanager" is not a URL path; use a path starting with "/", e.g. "/alertmanager"');
  });

  it('fails when the credentials Secret name is missing', () => {
    expect(errorOf(am({ url: 'https://am.example.com', bearerToken: { tokenKey: 'token' } })))
      .toMatch(/alerts\.alertmanagers\[0\]\.bearerToken\.secretName: undefined .*alertmanager-auth/);
    expect(errorOf(am({ url: 'https://am.example.com', basicAuth: { username: 'p', secretName: '', passwordKey: 'password' } })))
      .toMatch(/alerts\.alertmanagers\[0\]\.basicAuth\.secretName: "" .*alertmanager-auth/);
  });

  it('fails when basicAuth has no user name or no password key', () => {
    const msg = errorOf(am({ url: 'https://am.example.com', basicAuth: { username: '', secretName: 'am', passwordKey: '' } }));
    expect(msg).toContain('alerts.alertmanagers[0].basicAuth.username: "" must not be empty; use the user name the Alertmanager (or its proxy) expects');
    expect(msg).toMatch(/alerts\.alertmanagers\[0\]\.basicAuth\.passwordKey: ""/);
  });

  it('fails when basicAuth and bearerToken are both set', () => {
    expect(errorOf(am({ url: 'https://am.example.com', basicAuth: { username: 'p', secretName: 'a', passwordKey: 'p' }, bearerToken: { secretName: 'a', tokenKey: 't' } })))
      .toContain('alerts.alertmanagers[0].bearerToken: {"secretName":"a","tokenKey":"t"} is set together with basicAuth; use one of basicAuth or bearerToken');
  });

  it('fails when alertmanagers is not a list', () => {
    expect(errorOf({ alerts: { alertmanagers: 'https://am.example.com' } })).toContain('alerts.alertmanagers: "https://am.example.com" must be a list; use e.g. [{ url: "https://alertmanager.example.com" }], or [] for none');
  });

  it('fails when Alertmanagers are listed but alerts are disabled', () => {
    expect(errorOf({ alerts: { enabled: false, alertmanagers: [{ url: 'https://am.example.com' }] } }))
      .toContain('alerts.alertmanagers: ["https://am.example.com"] has no alerts to receive: alerts.enabled is false; set alerts.enabled: true, or alertmanagers: []');
  });
});
