import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

const NS = 'observability';

describe('Tempo with more than one replica (scalable single binary)', () => {
  const build = buildEnv('large', { tempo: { replicas: 3, replicationFactor: 3 } }, 'large');
  const objects = objectsOf(build);
  const cfg = configMapYaml(objects, 'tempo', 'tempo.yaml', NS);
  const sts = find(objects, 'StatefulSet', 'tempo', NS);

  it('runs the scalable-single-binary target with memberlist rings and the configured replication', () => {
    expect(cfg.target).toBe('scalable-single-binary');
    expect(sts.spec.replicas).toBe(3);
    expect(cfg.ingester.lifecycler.ring).toEqual({ kvstore: { store: 'memberlist' }, replication_factor: 3 });
    for (const ring of [cfg.distributor.ring, cfg.compactor.ring, cfg.metrics_generator.ring]) expect(ring).toEqual({ kvstore: { store: 'memberlist' } });
    expect(cfg.memberlist.join_members).toEqual(['tempo-memberlist.observability.svc:7946']);
    expect(cfg.querier.frontend_worker.frontend_address).toBe('127.0.0.1:9095');
    expect(find(objects, 'Service', 'tempo-memberlist', NS).spec.clusterIP).toBe('None');
  });

  it('keeps blocks in S3 with credentials from the Secret and the WAL on the volume', () => {
    expect(cfg.storage.trace).toEqual({
      backend: 's3', wal: { path: '/var/tempo/wal' },
      s3: { bucket: 'obs-stack-tempo', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1', access_key: '${OBJECT_STORE_ACCESS_KEY_ID}', secret_key: '${OBJECT_STORE_SECRET_ACCESS_KEY}', insecure: false, forcepathstyle: false },
    });
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toContain('-config.expand-env=true');
    expect(c.env.filter((e: { valueFrom?: unknown }) => e.valueFrom).map((e: { valueFrom: { secretKeyRef: { name: string } } }) => e.valueFrom.secretKeyRef.name)).toEqual(['tempo-object-storage', 'tempo-object-storage']);
    expect(find(objects, 'PodDisruptionBudget', 'tempo', NS).spec.maxUnavailable).toBe(1);
  });

  it('stays monolithic with one replica (prod unchanged)', () => {
    const prod = configMapYaml(objectsOf(buildEnv('prod')), 'tempo', 'tempo.yaml', NS);
    expect(prod.target).toBe('all');
    expect(prod.memberlist).toBeUndefined();
    expect(prod.storage.trace.backend).toBe('local');
  });
});
