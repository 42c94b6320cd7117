import { resolveEnvironment } from '../../src/config/resolve';
import type { StackOverrides } from '../../src/config/types';
import { errorOf } from '../support/config-errors';

const S3 = { type: 's3', bucket: 'logs', endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', credentials: { source: 'secret', secretName: 'store' } } as const;

describe('scale-out validation', () => {
  it('accepts the shipped large profile', () => {
    expect(() => resolveEnvironment({ name: 'large', profile: 'large' })).not.toThrow();
  });

  // overrides, path, printed value, a word of the fix
  const cases: Array<[string, StackOverrides, string, string, string]> = [
    ['the bucket is missing', { loki: { objectStorage: { bucket: '' } } }, 'loki.objectStorage.bucket', '""', 'bucket name'],
    ['a bucket name is invalid', { tempo: { objectStorage: { bucket: 'Tempo_Blocks' } } }, 'tempo.objectStorage.bucket', '"Tempo_Blocks"', '3 to 63'],
    ['Loki simple-scalable runs on filesystem storage', { loki: { objectStorage: { type: 'filesystem' } } }, 'loki.objectStorage.type', '"filesystem"', '"s3", "gcs" or "azure"'],
    ['Tempo runs several replicas on filesystem storage', { tempo: { replicas: 3, replicationFactor: 3, objectStorage: { type: 'filesystem' } } }, 'tempo.replicas', '3', 'use 1 replica'],
    ['the endpoint is not a URL', { loki: { objectStorage: { endpoint: 's3.amazonaws.com' } } }, 'loki.objectStorage.endpoint', '"s3.amazonaws.com"', 'https://'],
    ['the endpoint has a path', { loki: { objectStorage: { endpoint: 'https://minio.example.com/bucket' } } }, 'loki.objectStorage.endpoint', '"https://minio.example.com/bucket"', 'no path'],
    ['S3 has no endpoint', { tempo: { objectStorage: { endpoint: '' } } }, 'tempo.objectStorage.endpoint', '""', 'S3-compatible'],
    ['S3 has no region', { tempo: { objectStorage: { region: '' } } }, 'tempo.objectStorage.region', '""', 'eu-west-1'],
    ['the Secret name is missing', { loki: { objectStorage: { credentials: { secretName: '' } } } }, 'loki.objectStorage.credentials.secretName', '""', 'workloadIdentity'],
    ['a Secret key is empty', { loki: { objectStorage: { credentials: { keys: { secretAccessKey: '' } } } } }, 'loki.objectStorage.credentials.keys.secretAccessKey', '""', 'secret-access-key'],
    ['workload identity has no annotation', { loki: { objectStorage: { credentials: { source: 'workloadIdentity' } } } }, 'loki.objectStorage.credentials.serviceAccountAnnotations', '{}', 'eks.amazonaws.com/role-arn'],
    ['an Azure store has no account', { tempo: { objectStorage: { type: 'azure', endpoint: '', accountName: '' } } }, 'tempo.objectStorage.accountName', '""', 'lower-case letters'],
    ['an unknown store type', { loki: { objectStorage: { type: 'swift' as never } } }, 'loki.objectStorage.type', '"swift"', '"azure"'],
    ['an unknown Loki mode', { loki: { mode: 'distributed' as never } }, 'loki.mode', '"distributed"', 'simple-scalable'],
    ['the replication factor exceeds the writers', { loki: { write: { replicas: 2 }, replicationFactor: 3 } }, 'loki.replicationFactor', '3', 'one copy per write replica'],
    ['a target has zero replicas', { loki: { read: { replicas: 0 } } }, 'loki.read.replicas', '0', 'e.g. 2'],
    ['Tempo replication exceeds replicas', { tempo: { replicas: 2, replicationFactor: 3 } }, 'tempo.replicationFactor', '3', 'one copy per replica'],
    ['a remote-write URL is not a URL', { prometheus: { remoteWrite: [{ name: 'm', url: 'mimir:9009' }] } }, 'prometheus.remoteWrite[0].url', '"mimir:9009"', 'https://'],
    ['two remote-write targets share a name', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://a.example.com/push' }, { name: 'm', url: 'https://b.example.com/push' }] } }, 'prometheus.remoteWrite[1].name', '"m"', 'its own name'],
    ['a remote-write header carries credentials', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://a.example.com/push', headers: { Authorization: 'Bearer x' } }] } }, 'prometheus.remoteWrite[0].headers.Authorization', '"Authorization"', 'Secret'],
    ['basic auth and a bearer token together', {
      prometheus: { remoteWrite: [{ name: 'm', url: 'https://a.example.com/push', basicAuth: { username: 'u', secretName: 's', passwordKey: 'p' }, bearerToken: { secretName: 's', tokenKey: 't' } }] },
    }, 'prometheus.remoteWrite[0].bearerToken', '{"secretName":"s","tokenKey":"t"}', 'one of basicAuth'],
    ['a queue capacity below the batch size', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://a.example.com/push', queue: { capacity: 100, maxSamplesPerSend: 500 } }] } }, 'prometheus.remoteWrite[0].queue.capacity', '100', '5x'],
    ['a write relabel regex does not compile', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://a.example.com/push', writeRelabelConfigs: [{ regex: '(go' }] }] } }, 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"(go"', 'RE2'],
    ['the metrics datasource URL is not a URL', { grafana: { metricsDatasource: { url: 'mimir' } } }, 'grafana.metricsDatasource.url', '"mimir"', 'https://'],
    ['the metrics datasource has basic auth and a bearer token', { grafana: { metricsDatasource: { bearerToken: { secretName: 't', tokenKey: 'token' } } } },
      'grafana.metricsDatasource.bearerToken', '{"secretName":"t","tokenKey":"token"}', 'one of basicAuth'],
    ['the metrics datasource password Secret is not a Secret name', { grafana: { metricsDatasource: { basicAuth: { secretName: 'Metrics_Query' } } } },
      'grafana.metricsDatasource.basicAuth.secretName', '"Metrics_Query"', 'metrics-query'],
    ['the metrics datasource has credentials but no store URL', { grafana: { metricsDatasource: { url: '' } } }, 'grafana.metricsDatasource.url', '""', 'remove basicAuth/bearerToken'],
    ['an external egress CIDR is invalid', { networkPolicy: { externalEgress: { cidrs: ['10.0.0.0'] } } }, 'networkPolicy.externalEgress.cidrs[0]', '"10.0.0.0"', '0.0.0.0/0'],
  ];

  it.each(cases)('fails when %s (names path, value and fix)', (_name, overrides, path, value, fix) => {
    const msg = errorOf(overrides, 'large');
    const line = msg.split('\n').find((l) => l.includes(`${path}: ${value}`));
    expect(line).toBeDefined();
    expect(line).toContain(fix);
  });

  it('accepts object storage in monolithic mode, and a one-replica Tempo on filesystem storage', () => {
    expect(() => resolveEnvironment({ name: 't', profile: 'prod', overrides: { loki: { objectStorage: S3 } } })).not.toThrow();
    expect(() => resolveEnvironment({ name: 't', profile: 'large', overrides: { tempo: { replicas: 1, replicationFactor: 1, objectStorage: { type: 'filesystem' } } } })).not.toThrow();
  });
});
