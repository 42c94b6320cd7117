/**
 * Loki's config slice: the schema (type and runtime check in one), its defaults, and what each profile
 * changes. "What is Loki's retention by default?" is answered here.
 */
import * as z from 'zod';
import {
  duration, durationVerdict, flag, image, listenPorts, obj, oneOf, positive, positiveInt, replicas, report, resourcesSchema, storageSchema,
  text, type ProfileChanges,
} from '../../config/fields';
import { FILESYSTEM_STORAGE, objectStorageSchema } from '../../config/object-storage';
import { parseDurationNs } from '../../config/units';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

/** `loki.retention` spelling for "never delete" (Loki's `retention_period: 0s`). */
export const LOKI_KEEP_FOREVER = 'forever';

const DAY_NS = 24n * 3600n * 10n ** 9n;

/** Loki multiplies MB/s by 2^20 into an int64 of bytes: larger values overflow. */
const LOKI_MB_MAX = 2 ** 43 - 1;

const lokiTargetSchema = obj({
  replicas: replicas(2),
  resources: resourcesSchema,
}).readonly();

export const lokiSchema = obj({
  enabled: flag(),
  /** The Loki image, pinned. */
  image: image({ repository: 'docker.io/grafana/loki', tag: '3.7.6' }, { registryHost: true }),
  /** Listen ports. `memberlist`: gossip between Loki pods in simple-scalable mode. */
  ports: listenPorts('loki', { http: 3100, grpc: 9095, memberlist: 7946 }),
  /**
   * `monolithic`: one process runs every module (`-target=all`), one replica. `simple-scalable`: the
   * upstream chart's read / write / backend targets joined by memberlist, each scaled on its own; needs
   * object storage.
   */
  mode: oneOf(['monolithic', 'simple-scalable'], 'is not a Loki deployment mode', 'use "monolithic" (one replica) or "simple-scalable" (read / write / backend)'),
  /** Monolithic: the one container's resources. */
  resources: resourcesSchema,
  /** Data volume: monolithic's everything; simple-scalable's write (WAL) and backend (compactor) volumes. */
  storage: storageSchema,
  objectStorage: objectStorageSchema,
  /** Simple-scalable targets. */
  write: lokiTargetSchema,
  read: lokiTargetSchema,
  backend: lokiTargetSchema,
  /** Simple-scalable: copies of every stream across write replicas (`common.replication_factor`). */
  replicationFactor: replicas(3),
  /**
   * `limits_config.retention_period`, enforced by the compactor: whole days (Loki's index period is 24h),
   * or `"forever"` to never delete (Loki reads a zero retention that way, so zero must be spelled out).
   */
  retention: text(['is not a duration', 'use a whole number of days such as "168h", or "forever"'], (v) => {
    if (v === LOKI_KEEP_FOREVER) return undefined;
    const ns = parseDurationNs(v);
    if (ns === 0n) return ['is zero, which Loki reads as "keep logs forever"', `write "${LOKI_KEEP_FOREVER}" if that is meant, else a duration such as "168h"`];
    const bad = durationVerdict(v, '168h');
    if (bad !== undefined) return bad;
    if (ns! % DAY_NS !== 0n) return ['is not a whole number of days (Loki\'s index period is 24h)', 'use a multiple of 24h, e.g. "168h"'];
    return undefined;
  }),
  /**
   * The tenant every writer and reader uses. Empty: `auth_enabled: false` (single tenant, no header).
   * Set: `auth_enabled: true`, and every one of them sends `X-Scope-OrgID: <tenant>`.
   */
  tenant: text(['is not a valid Loki tenant ID', 'use letters, digits and -_.!*\'() (at most 150), or "" for a single-tenant Loki'],
    (v) => (v === '' || /^[A-Za-z0-9!\-_.*'()]{1,150}$/.test(v) ? undefined
      : ['is not a valid Loki tenant ID', 'use letters, digits and -_.!*\'() (at most 150), or "" for a single-tenant Loki'])),
  limits: obj({
    /** `limits_config.ingestion_rate_mb` per tenant. */
    ingestionRateMB: positive(8, LOKI_MB_MAX),
    /** `limits_config.ingestion_burst_size_mb` per tenant. */
    ingestionBurstSizeMB: positive(16, LOKI_MB_MAX),
    /** `limits_config.max_query_series`. */
    maxQuerySeries: positiveInt(5000),
    /** `limits_config.max_query_length`: the longest time range one query may cover. */
    maxQueryLength: duration('721h'),
  }).superRefine((l, ctx) => {
    if (l.ingestionBurstSizeMB < l.ingestionRateMB) {
      report(ctx, ['ingestionBurstSizeMB'], l.ingestionBurstSizeMB, `is below loki.limits.ingestionRateMB (${l.ingestionRateMB})`, 'use a burst at least as large as the rate');
    }
  }).readonly(),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((l, ctx) => {
  if (l.mode !== 'simple-scalable') return;
  if (l.objectStorage.type === 'filesystem') {
    report(ctx, ['objectStorage', 'type'], l.objectStorage.type, 'cannot be shared by several Loki replicas (loki.mode is "simple-scalable")',
      'use "s3", "gcs" or "azure" with a bucket, or loki.mode "monolithic"');
  }
  if (l.replicationFactor > l.write.replicas) {
    report(ctx, ['replicationFactor'], l.replicationFactor, `is more than loki.write.replicas (${l.write.replicas})`, 'use at most one copy per write replica, e.g. 3 with 3 writers');
  }
}).readonly();

export type LokiConfig = z.infer<typeof lokiSchema>;
export type LokiTargetSpec = z.infer<typeof lokiTargetSchema>;
export type LokiLimits = LokiConfig['limits'];

export const LOKI_DEFAULTS: LokiConfig = {
  enabled: true,
  image: { repository: 'docker.io/grafana/loki', tag: '3.7.6' },
  // Upstream default ports, so upstream docs and habits (`:3100`) keep working.
  ports: { http: 3100, grpc: 9095, memberlist: 7946 },
  mode: 'monolithic',
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  storage: { persistent: false, size: '10Gi', storageClassName: undefined },
  objectStorage: FILESYSTEM_STORAGE,
  // Simple-scalable only (ignored when monolithic). Replication factor 3 over 3 writers: a push succeeds
  // when 2 of 3 acknowledge it, so one writer may restart (rollout, node drain) without losing logs.
  write: { replicas: 3, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } } },
  read: { replicas: 2, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
  backend: { replicas: 2, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
  replicationFactor: 3,
  retention: '168h',
  tenant: '',
  limits: { ingestionRateMB: 8, ingestionBurstSizeMB: 16, maxQuerySeries: 5000, maxQueryLength: '721h' },
  pods: POD_DEFAULTS,
};

/** large: simple-scalable (3 write / 2 read / 2 backend) on S3-compatible object storage (a placeholder bucket). */
export const LOKI_PROFILES: ProfileChanges<LokiConfig> = {
  dev: {
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    storage: { persistent: false, size: '2Gi' },
    retention: '48h',
    limits: { ingestionRateMB: 4, ingestionBurstSizeMB: 8 },
  },
  prod: {
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    storage: { persistent: true, size: '50Gi' },
    retention: '720h',
    limits: { ingestionRateMB: 16, ingestionBurstSizeMB: 32 },
  },
  large: {
    mode: 'simple-scalable',
    storage: { persistent: true, size: '20Gi' },
    retention: '720h',
    limits: { ingestionRateMB: 32, ingestionBurstSizeMB: 64 },
    // A placeholder bucket and endpoint: edit them and create the Secret (see dist/large/README.md).
    objectStorage: {
      type: 's3',
      bucket: 'obs-stack-loki',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      credentials: { source: 'secret', secretName: 'loki-object-storage' },
    },
    write: { replicas: 3, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
    read: { replicas: 2, resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '4', memory: '4Gi' } } },
    backend: { replicas: 2, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
    replicationFactor: 3,
  },
};

/** The `large` profile's object store stands for the user's: bucket, endpoint and region to edit. */
export const LOKI_PLACEHOLDERS = { large: ['objectStorage.bucket', 'objectStorage.endpoint', 'objectStorage.region'] } as const;
