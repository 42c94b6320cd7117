import { dump } from 'js-yaml';
import { renderRemoteWrite } from '../../../src/components/prometheus/prometheus';
import { findPrometheus, forPromtool, itWithTool, promtool, substituteKubernetesSd } from '../../support/checks';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

const NS = 'observability';
const itPromtool = itWithTool('promtool');

describe('Prometheus remote_write', () => {
  const build = buildEnv('large', {
    prometheus: {
      remoteWrite: [
        { name: 'mimir', url: 'https://mimir.example.com/api/v1/push', headers: { 'X-Scope-OrgID': 'team-a' }, basicAuth: { username: 'u', secretName: 'mimir-auth', passwordKey: 'password' } },
        { name: 'thanos', url: 'https://thanos.example.com/api/v1/receive', bearerToken: { secretName: 'thanos-auth', tokenKey: 'token' }, queue: { maxShards: 5 },
          writeRelabelConfigs: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: 'drop' }] },
      ],
    },
  });
  const objects = objectsOf(build);
  const cfg = configMapYaml(objects, 'prometheus', 'prometheus.yaml', NS);
  const sts = find(objects, 'StatefulSet', 'prometheus', NS);

  it('renders credentials as files mounted from the user\'s Secrets, queue sized for a remote store', () => {
    expect(cfg.remote_write).toEqual([
      {
        name: 'mimir', url: 'https://mimir.example.com/api/v1/push', headers: { 'X-Scope-OrgID': 'team-a' },
        basic_auth: { username: 'u', password_file: '/etc/prometheus/secrets/mimir-auth/password' },
        queue_config: { capacity: 25000, max_shards: 30, max_samples_per_send: 5000 }, send_exemplars: true,
      },
      {
        name: 'thanos', url: 'https://thanos.example.com/api/v1/receive',
        authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/thanos-auth/token' },
        queue_config: { capacity: 25000, max_shards: 5, max_samples_per_send: 5000 }, send_exemplars: true,
        write_relabel_configs: [{ source_labels: ['__name__'], regex: 'go_.*', action: 'drop' }],
      },
    ]);
    const mounts = sts.spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toEqual(expect.arrayContaining([
      { name: 'remote-write-0', mountPath: '/etc/prometheus/secrets/mimir-auth', readOnly: true },
      { name: 'remote-write-1', mountPath: '/etc/prometheus/secrets/thanos-auth', readOnly: true },
    ]));
    expect(sts.spec.template.spec.volumes).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'remote-write-0', secret: expect.objectContaining({ secretName: 'mimir-auth', items: [{ key: 'password', path: 'password' }] }) }),
    ]));
  });

  it('renders nothing for no target (dev and prod unchanged)', () => {
    expect(renderRemoteWrite([])).toEqual([]);
    expect(configMapYaml(objectsOf(buildEnv('prod')), 'prometheus', 'prometheus.yaml', NS).remote_write).toBeUndefined();
  });

  itPromtool('passes promtool check config --syntax-only', () => {
    const f = findPrometheus(objects)[0];
    const { config } = forPromtool(substituteKubernetesSd(f.config, objects).config);
    const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': dump(config) });
    expect(r.output).toContain('SUCCESS');
    const broken = JSON.parse(JSON.stringify(config));
    broken.remote_write[0].queue_config.max_shards = 'many';
    expect(promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': dump(broken) }).ok).toBe(false);
  });
});

describe('Grafana on a long-term metrics store', () => {
  it('keeps the Prometheus datasource UID and correlations, points it at the store; only the local rules\' datasource reads the local Prometheus', () => {
    const large = buildEnv('large', undefined, 'large');
    const prod = buildEnv('prod');
    const ds = (b: typeof large) => configMapYaml(objectsOf(b), 'grafana', 'datasources.yaml', NS).datasources.find((d: { type: string }) => d.type === 'prometheus');
    const [l, p] = [ds(large), ds(prod)];
    expect(l.uid).toBe(p.uid);
    expect(l.url).toBe('https://mimir.example.com/prometheus');
    expect(l.jsonData.prometheusType).toBe('Mimir');
    expect(l.jsonData.exemplarTraceIdDestinations).toEqual(p.jsonData.exemplarTraceIdDestinations);
    // The rules run in the local Prometheus: a second datasource reads their state for Grafana's alert list.
    expect(large.wires.filter((w) => w.from === 'grafana' && w.to.component === 'prometheus').map((w) => w.purpose)).toEqual([expect.stringContaining('local rules')]);
    const local = configMapYaml(objectsOf(large), 'grafana', 'datasources.yaml', NS).datasources.find((d: { uid: string }) => d.uid === 'prometheus-local');
    expect(local).toMatchObject({ url: `http://prometheus.${NS}.svc:9090`, isDefault: false, jsonData: { manageAlerts: true, alertmanagerUid: 'alertmanager' } });
  });
});
