import type { ObjectStorageSpec } from '../../../src/config/types';
import { externalEndpoints } from '../../../src/lib/external';
import { userSecrets } from '../../../src/lib/user-secrets';
import { networkPolicies } from '../../../src/components/network-policies/network-policies';
import { buildEnv, configMapYaml, find, objectsOf, type KubeObject } from '../../support/synth';

const NS = 'observability';
// The shipped large runs one Tempo replica (the Helm path's limit); the scalable single binary is the manifests' option.
const large = buildEnv('large', { tempo: { replicas: 3, replicationFactor: 3 } }, 'large');
const objects = objectsOf(large);
const config = configMapYaml(objects, 'loki', 'loki.yaml', NS);

describe('Loki simple-scalable (large)', () => {
  it('runs write and backend as StatefulSets with volumes, read as a Deployment, each with its target and replicas', () => {
    const write = find(objects, 'StatefulSet', 'loki-write', NS);
    const backend = find(objects, 'StatefulSet', 'loki-backend', NS);
    const read = find(objects, 'Deployment', 'loki-read', NS);
    const l = large.env.config.loki;
    expect([write.spec.replicas, read.spec.replicas, backend.spec.replicas]).toEqual([l.write.replicas, l.read.replicas, l.backend.replicas]);
    for (const [w, t] of [[write, 'write'], [read, 'read'], [backend, 'backend']] as const) {
      expect(w.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining([`-target=${t}`, '-config.expand-env=true']));
      expect(w.spec.selector.matchLabels['app.kubernetes.io/component']).toBe(t);
    }
    expect(write.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(backend.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(objects.some((o) => o.kind === 'StatefulSet' && o.metadata.name === 'loki')).toBe(false);
  });

  it('joins the rings over memberlist through a headless Service that selects every Loki pod', () => {
    expect(config.common.ring.kvstore.store).toBe('memberlist');
    expect(config.common.replication_factor).toBe(large.env.config.loki.replicationFactor);
    expect(config.memberlist.join_members).toEqual(['loki-memberlist.observability.svc:7946']);
    const svc = find(objects, 'Service', 'loki-memberlist', NS);
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'large' });
  });

  it('registers push (write) and query (read) Services in the endpoint registry, and the clients use them', () => {
    const s = large.endpoints.loki.scalable!;
    expect([s.push.service, s.query.service]).toEqual(['loki-write', 'loki-read']);
    const alloy = find(objects, 'ConfigMap', 'alloy', 'observability-agents').data['config.alloy'];
    expect(alloy).toContain('http://loki-write.observability.svc:3100/loki/api/v1/push');
    const ds = configMapYaml(objects, 'grafana', 'datasources.yaml', NS);
    expect(ds.datasources.find((d: { type: string }) => d.type === 'loki').url).toBe('http://loki-read.observability.svc:3100');
    expect(config.storage_config.tsdb_shipper.index_gateway_client.server_address).toBe('dns+loki-backend-headless.observability.svc:9095');
    expect(config.common.compactor_grpc_address).toBe('loki-backend.observability.svc:9095');
  });

  it('spreads every multi-replica workload (anti-affinity, zone and node spread) and gets a PDB for each', () => {
    const multi = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && (o.spec.replicas ?? 1) > 1);
    expect(multi.map((o) => o.metadata.name).sort()).toEqual(['alertmanager', 'loki-backend', 'loki-read', 'loki-write', 'otlp-gateway', 'tempo']);
    for (const w of multi) {
      const spec = w.spec.template.spec;
      expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels).toEqual(w.spec.selector.matchLabels);
      expect(spec.topologySpreadConstraints.map((t: { topologyKey: string }) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      const pdb = find(objects, 'PodDisruptionBudget', w.metadata.name, NS);
      expect(pdb.spec.selector.matchLabels).toEqual(w.spec.selector.matchLabels);
    }
  });

  it('keeps schema, retention and structured metadata identical to monolithic (only the object store differs)', () => {
    const mono = configMapYaml(objectsOf(buildEnv('prod')), 'loki', 'loki.yaml', NS);
    expect(config.schema_config.configs).toEqual(mono.schema_config.configs.map((c: object) => ({ ...c, object_store: 's3' })));
    expect(config.limits_config.allow_structured_metadata).toBe(true);
    expect(config.compactor.retention_enabled).toBe(true);
    expect(config.compactor.delete_request_store).toBe('s3');
  });

  it('keeps the compactor\'s retention and deletion markers in object storage, so a compactor on another backend pod finds them', () => {
    // Loki 3.7 keeps markers on the compactor's local disk unless the prefix is set; delete requests live
    // in the delete-request store either way.
    expect(config.compactor.deletion_marker_object_store_prefix).toBe('__deletion_markers__/');
    expect(config.compactor.deletion_marker_object_store_prefix).toMatch(/\/$/);
    expect(config.compactor.delete_request_store).toBe(config.schema_config.configs[0].object_store);
    const mono = configMapYaml(objectsOf(buildEnv('prod')), 'loki', 'loki.yaml', NS);
    expect(mono.compactor.deletion_marker_object_store_prefix).toBeUndefined();
  });

  it('sizes the WAL replay ceiling and the stream limit on the write target\'s memory', () => {
    const write = large.env.config.loki.write;
    const mem = 4 * 2 ** 30;
    expect(write.resources.limits.memory).toBe('4Gi');
    expect(config.ingester.wal.replay_memory_ceiling).toBe(`${(0.75 * mem) / 2 ** 20}MB`);
    // Three writers, replication factor three: each holds every stream, one head block each in half its memory.
    expect(config.limits_config.max_global_streams_per_user).toBe((0.5 * mem) / config.ingester.chunk_block_size);
  });

  it('lets Loki pods reach each other on memberlist, gRPC and HTTP, and the object store on 443 only', () => {
    const pols = networkPolicies({
      wires: large.wires, endpoints: large.endpoints, namespace: NS, agentNamespace: 'observability-agents',
      labeler: { selector: (n: string) => ({ 'app.kubernetes.io/name': n }), stackLabels: () => ({}) } as never,
      config: large.env.config.networkPolicy, external: externalEndpoints(large.env.config), apiClients: [],
    });
    const egress = pols.find((p) => p.metadata!.name === 'loki-egress')!.spec!.egress!;
    const self = egress.find((r) => r.to![0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'loki')!;
    expect(self.ports!.map((p) => p.port!.value)).toEqual([3100, 7946, 9095]);
    const ext = egress.find((r) => r.to![0].ipBlock !== undefined)!;
    expect(ext).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: expect.objectContaining({ value: 443 }) }] });
    const ingress = pols.find((p) => p.metadata!.name === 'loki-ingress')!.spec!.ingress!;
    expect(ingress.find((r) => r.from![0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'alloy')!.ports!.map((p) => p.port!.value)).toEqual([3100]);
  });
});

describe('object storage rendering, per backend', () => {
  const secretValues = ['AKIA', 'secret-value', 'BEGIN PRIVATE KEY'];
  const cases: Array<[string, Partial<ObjectStorageSpec>, (c: Record<string, any>) => void]> = [
    ['s3 (MinIO in the cluster, Secret)', { type: 's3', endpoint: 'http://minio.minio.svc:9000', forcePathStyle: true }, (c) => {
      expect(c.common.storage.s3).toEqual({
        endpoint: 'minio.minio.svc:9000', region: 'eu-west-1', bucketnames: 'obs-stack-loki', insecure: true, s3forcepathstyle: true,
        access_key_id: '${OBJECT_STORE_ACCESS_KEY_ID}', secret_access_key: '${OBJECT_STORE_SECRET_ACCESS_KEY}',
      });
    }],
    ['gcs (Secret key file)', { type: 'gcs', endpoint: '', bucket: 'obs-logs' }, (c) => expect(c.common.storage.gcs).toEqual({ bucket_name: 'obs-logs' })],
    ['azure (Secret)', { type: 'azure', endpoint: '', bucket: 'obs-logs', accountName: 'obsstack' }, (c) => {
      expect(c.common.storage.azure).toEqual({ account_name: 'obsstack', account_key: '${OBJECT_STORE_ACCOUNT_KEY}', container_name: 'obs-logs', endpoint_suffix: 'blob.core.windows.net' });
    }],
  ];

  it.each(cases)('%s', (_n, storage, check) => {
    const build = buildEnv('large', { loki: { objectStorage: storage } });
    const objs = objectsOf(build);
    const cfg = configMapYaml(objs, 'loki', 'loki.yaml', NS);
    check(cfg);
    expect(cfg.schema_config.configs[0].object_store).toBe(storage.type);
    const write = find(objs, 'StatefulSet', 'loki-write', NS);
    const c = write.spec.template.spec.containers[0];
    const secret = userSecrets(build.env.config).find((s) => s.name === 'loki-object-storage')!;
    // Every credential is a reference to the user's Secret, with a key the README tells the user to create.
    for (const e of c.env.filter((x: { valueFrom?: unknown }) => x.valueFrom)) {
      expect(e.valueFrom.secretKeyRef.name).toBe('loki-object-storage');
      expect(secret.keys).toContain(e.valueFrom.secretKeyRef.key);
    }
    if (storage.type === 'gcs') {
      expect(c.env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/object-storage/service-account.json' });
      expect(write.spec.template.spec.volumes).toContainEqual(expect.objectContaining({ secret: expect.objectContaining({ secretName: 'loki-object-storage' }) }));
      expect(c.args).not.toContain('-config.expand-env=true');
    } else expect(c.args).toContain('-config.expand-env=true');
    const text = JSON.stringify(objs);
    for (const v of secretValues) expect(text).not.toContain(v);
    expect(objs.some((o: KubeObject) => o.kind === 'Secret')).toBe(false);
  });

  it('workload identity: no keys, no Secret, annotations on the ServiceAccount, Azure pods labelled, no API token', () => {
    const build = buildEnv('large', {
      loki: { objectStorage: { type: 'azure', endpoint: '', bucket: 'logs', accountName: 'obsstack', credentials: { source: 'workloadIdentity', serviceAccountAnnotations: { 'azure.workload.identity/client-id': 'abc' } } } },
    });
    const objs = objectsOf(build);
    const cfg = configMapYaml(objs, 'loki', 'loki.yaml', NS);
    expect(cfg.common.storage.azure).toEqual({ account_name: 'obsstack', use_federated_token: true, container_name: 'logs', endpoint_suffix: 'blob.core.windows.net' });
    expect(find(objs, 'ServiceAccount', 'loki', NS).metadata.annotations).toEqual({ 'azure.workload.identity/client-id': 'abc', 'argocd.argoproj.io/sync-wave': '-2' });
    const write = find(objs, 'StatefulSet', 'loki-write', NS);
    expect(write.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(write.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(write.spec.template.spec.containers[0].args).not.toContain('-config.expand-env=true');
    expect(userSecrets(build.env.config).some((s) => s.name === 'loki-object-storage')).toBe(false);
  });
});
