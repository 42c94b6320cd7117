/**
 * Tempo's config slice: the schema (type and runtime check in one), its defaults, and what each profile
 * changes. "What is Tempo's retention by default?" is answered here.
 */
import * as z from 'zod';
import { flag, goDuration, image, listenPorts, obj, replicas, report, resourcesSchema, storageSchema, type ProfileChanges } from '../../config/fields';
import { FILESYSTEM_STORAGE, objectStorageSchema } from '../../config/object-storage';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

const tempoReceiversSchema = obj({
  otlpGrpc: flag(),
  otlpHttp: flag(),
  jaeger: flag(),
  zipkin: flag(),
}).readonly();

export const tempoSchema = obj({
  enabled: flag(),
  /** The Tempo image, pinned. */
  image: image({ repository: 'docker.io/grafana/tempo', tag: '2.10.8' }, { registryHost: true }),
  /** Listen ports. `memberlist`: gossip between Tempo replicas (more than one replica). */
  ports: listenPorts('tempo', {
    http: 3200, grpc: 9095, memberlist: 7946, otlpGrpc: 4317, otlpHttp: 4318, jaegerGrpc: 14250, jaegerThriftHttp: 14268, zipkin: 9411,
  }),
  /**
   * Replicas. 1: monolithic (`-target=all`). More: Tempo's scalable single binary
   * (`-target=scalable-single-binary`, every module in each pod, rings over memberlist), which needs object storage.
   */
  replicas: replicas(1),
  /** With more than one replica: copies of every trace across ingesters (`ingester.lifecycler.ring.replication_factor`). */
  replicationFactor: replicas(1),
  resources: resourcesSchema,
  /** WAL (and blocks with `filesystem` object storage). */
  storage: storageSchema,
  objectStorage: objectStorageSchema,
  /** `compactor.compaction.block_retention` (a Go duration): how long traces are kept. */
  retention: goDuration('336h'),
  receivers: tempoReceiversSchema,
  /** Run the metrics-generator (span metrics, service graph, TraceQL metrics) and remote-write to the metrics store. */
  metricsGenerator: flag(),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((t, ctx) => {
  if (t.replicas > 1 && t.objectStorage.type === 'filesystem') {
    report(ctx, ['replicas'], t.replicas, 'needs object storage (tempo.objectStorage.type is "filesystem": each replica would keep its own blocks)',
      'set tempo.objectStorage to "s3", "gcs" or "azure", or use 1 replica');
  }
  if (t.replicationFactor > t.replicas) {
    report(ctx, ['replicationFactor'], t.replicationFactor, `is more than tempo.replicas (${t.replicas})`, 'use at most one copy per replica');
  }
  if (t.enabled && !Object.values(t.receivers).some(Boolean)) {
    report(ctx, ['receivers'], t.receivers, 'enables no receiver', 'enable at least otlpGrpc or otlpHttp, or set tempo.enabled: false');
  }
}).readonly();

export type TempoConfig = z.infer<typeof tempoSchema>;
export type TempoReceivers = z.infer<typeof tempoReceiversSchema>;

export const TEMPO_DEFAULTS: TempoConfig = {
  enabled: true,
  image: { repository: 'docker.io/grafana/tempo', tag: '2.10.8' },
  // Upstream default ports, so upstream docs and habits (`:4317`, `:4318`) keep working.
  ports: { http: 3200, grpc: 9095, memberlist: 7946, otlpGrpc: 4317, otlpHttp: 4318, jaegerGrpc: 14250, jaegerThriftHttp: 14268, zipkin: 9411 },
  replicas: 1,
  replicationFactor: 1,
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  storage: { persistent: false, size: '10Gi', storageClassName: undefined },
  objectStorage: FILESYSTEM_STORAGE,
  retention: '72h',
  receivers: { otlpGrpc: true, otlpHttp: true, jaeger: false, zipkin: false },
  metricsGenerator: true,
  pods: POD_DEFAULTS,
};

/** large: one replica on S3-compatible object storage (a placeholder bucket). */
export const TEMPO_PROFILES: ProfileChanges<TempoConfig> = {
  dev: {
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    storage: { persistent: false, size: '2Gi' },
    retention: '24h',
  },
  prod: {
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    storage: { persistent: true, size: '50Gi' },
    retention: '336h',
  },
  large: {
    // One replica on object storage: the tempo chart of the Helm path cannot run Tempo's scalable single
    // binary (no headless/memberlist Service), and `large` renders both paths. On the manifests path alone,
    // `replicas: 3, replicationFactor: 3` runs it; on Helm, more Tempo means the tempo-distributed chart.
    replicas: 1,
    replicationFactor: 1,
    resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '6Gi' } },
    storage: { persistent: true, size: '20Gi' },
    retention: '336h',
    // A placeholder bucket and endpoint: edit them and create the Secret (see dist/large/README.md).
    objectStorage: {
      type: 's3',
      bucket: 'obs-stack-tempo',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      credentials: { source: 'secret', secretName: 'tempo-object-storage' },
    },
  },
};

/** The `large` profile's object store stands for the user's: bucket, endpoint and region to edit. */
export const TEMPO_PLACEHOLDERS = { large: ['objectStorage.bucket', 'objectStorage.endpoint', 'objectStorage.region'] } as const;
