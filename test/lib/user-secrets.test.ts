import { resolveEnvironment } from '../../src/config/resolve';
import { userSecrets } from '../../src/lib/user-secrets';

const cfg = (profile: 'dev' | 'prod', overrides?: object) => resolveEnvironment({ name: 't', profile, overrides }).config;

describe('userSecrets', () => {
  it('is empty for dev (default admin, no ingress, no pull secrets)', () => {
    expect(userSecrets(cfg('dev'))).toEqual([]);
  });

  it('lists the Grafana admin Secret with its keys in prod', () => {
    expect(userSecrets(cfg('prod'))).toEqual([
      expect.objectContaining({ name: 'grafana-admin', namespace: 'observability', keys: ['admin-user', 'admin-password'] }),
    ]);
  });

  it('lists the Ingress TLS Secret and each pull secret in both namespaces', () => {
    const s = userSecrets(cfg('prod', {
      common: { imagePullSecrets: ['regcred'] },
      grafana: { ingress: { enabled: true, host: 'g.example.com', tlsSecretName: 'g-tls' } },
    }));
    expect(s.map((x) => `${x.namespace}/${x.name}`)).toEqual([
      'observability/grafana-admin', 'observability/g-tls', 'observability/regcred', 'observability-agents/regcred',
    ]);
    expect(s[1].keys).toEqual(['tls.crt', 'tls.key']);
  });

  it('lists the Secret Grafana reads the long-term store with (large), merged with a remote-write Secret of the same name', () => {
    const large = resolveEnvironment({ name: 't', profile: 'large' }).config;
    expect(userSecrets(large)).toContainEqual(expect.objectContaining({ name: 'metrics-query', namespace: 'observability', keys: ['password'] }));
    const shared = resolveEnvironment({ name: 't', profile: 'large', overrides: {
      grafana: { metricsDatasource: { basicAuth: { username: 'reader', secretName: 'metrics-remote-write', passwordKey: 'read-password' } } },
    } }).config;
    const s = userSecrets(shared).filter((x) => x.name === 'metrics-remote-write');
    expect(s).toEqual([expect.objectContaining({ keys: ['password', 'read-password'] })]);
    expect(s[0].purpose).toMatch(/Grafana reads the metrics store with it too/);
  });

  it('lists no Grafana Secret when Grafana is off', () => {
    expect(userSecrets(cfg('prod', { grafana: { enabled: false } }))).toEqual([]);
  });
  it('lists one Secret Loki and Tempo share, its keys in their order, after Grafana\'s and before remote write', () => {
    const large = resolveEnvironment({ name: 't', profile: 'large', overrides: {
      loki: { objectStorage: { credentials: { secretName: 'store', keys: { accessKeyId: 'z-id', secretAccessKey: 'a-key' } } } },
      tempo: { objectStorage: { credentials: { secretName: 'store', keys: { accessKeyId: 'z-id', secretAccessKey: 'a-key' } } } },
    } }).config;
    const s = userSecrets(large);
    expect(s.map((x) => x.name)).toEqual(['grafana-admin', 'store', 'metrics-remote-write', 'metrics-query']);
    expect(s[1]).toEqual(expect.objectContaining({ keys: ['z-id', 'a-key'], purpose: expect.stringMatching(/^Loki s3 .*; Tempo uses it too$/) }));
  });
});
