/**
 * Prometheus's config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes. "What is Prometheus's retention by default?" is answered here.
 */
import * as z from 'zod';
import {
  basicAuthSchema, bearerTokenSchema, duration, flag, headers, httpUrl, image, list, listenPorts, obj,
  oneCredential, oneOf, positiveInt, printable, promLabelName, promLabels, re2, report, resourcesSchema, storageSchema,
  text, uniqueBy, type ProfileChanges,
} from '../../config/fields';
import { parseQuantity, parseDurationNs } from '../../config/units';
import { parsePromSize, promSize } from './size';
import { RELABEL_TARGET, checkAgainstGlobal, extraScrapeConfigsSchema } from './scrape-configs';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

/**
 * `remote_write[].queue_config` for a remote store, unless a target sets its own. Prometheus's defaults
 * (capacity 10000, max_shards 50, max_samples_per_send 2000) suit a LAN; over a WAN with ~100 ms round
 * trips larger batches keep throughput with fewer shards. Capacity at 5x the batch size lets each shard
 * buffer a few batches while a request is in flight without holding much memory (about 100 B per sample).
 */
export const REMOTE_WRITE_QUEUE = { capacity: 25000, maxShards: 30, maxSamplesPerSend: 5000 } as const;

/** Headers Prometheus sets on remote-write requests itself and refuses in `headers` (config.reservedHeaders). */
const PROMETHEUS_RESERVED_HEADERS = [
  'host', 'content-encoding', 'content-length', 'content-type', 'user-agent', 'connection', 'keep-alive', 'proxy-authenticate',
  'proxy-authorization', 'www-authenticate', 'accept-encoding', 'x-prometheus-remote-write-version', 'x-prometheus-remote-read-version',
  'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256',
];


/** One `write_relabel_configs` entry, with Prometheus's own rules per action. */
export const relabelConfigSchema = obj({
  /** `source_labels`. */
  sourceLabels: list(promLabelName('__name__'), '["__name__"]').optional(),
  /** `regex`, RE2 syntax, anchored at both ends as Prometheus does. @default "(.*)" */
  regex: re2('up|traces_.*').optional(),
  /** `action`. @default "replace" */
  action: oneOf(['keep', 'drop', 'replace', 'labeldrop', 'labelkeep'], 'is not a relabel action', 'use keep, drop, replace, labeldrop or labelkeep').optional(),
  /** `target_label` (`replace`): a label name, `$1` references allowed. */
  targetLabel: text(['must be a string', 'use e.g. "cluster"'], (v) => (RELABEL_TARGET.test(v) ? undefined
    : ['is not a valid target label', 'use letters, digits and "_" (with $1 or ${name} references for replace), e.g. "cluster"'])).optional(),
  /** `replacement`. @default "$1" */
  replacement: printable('$1', { empty: true }).optional(),
}).superRefine((r, ctx) => {
  const action = r.action ?? 'replace';
  if (action === 'replace' && r.targetLabel === undefined) {
    report(ctx, ['targetLabel'], r.targetLabel, 'is required by the "replace" action (the default)', 'set targetLabel, or an action such as "keep" or "drop"');
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    for (const key of ['sourceLabels', 'targetLabel', 'replacement'] as const) {
      if (r[key] !== undefined) report(ctx, [key], r[key], `is not allowed with action "${action}" (it matches label names with regex only)`, `remove ${key}`);
    }
  }
}).readonly();

const remoteWriteQueueSchema = obj({
  capacity: positiveInt(REMOTE_WRITE_QUEUE.capacity).optional(),
  maxShards: positiveInt(REMOTE_WRITE_QUEUE.maxShards).optional(),
  maxSamplesPerSend: positiveInt(REMOTE_WRITE_QUEUE.maxSamplesPerSend).optional(),
}).superRefine((q, ctx) => {
  if (q.capacity !== undefined && q.maxSamplesPerSend !== undefined && q.capacity < q.maxSamplesPerSend) {
    report(ctx, ['capacity'], q.capacity, `is below queue.maxSamplesPerSend (${q.maxSamplesPerSend})`, 'use a capacity of a few times the batch size, e.g. 5x');
  }
}).readonly();

/**
 * One `remote_write` target (Mimir, Thanos receive, Cortex, VictoriaMetrics, a managed service).
 * Credentials come from a Secret the user creates, mounted as files (`password_file`, `credentials_file`).
 */
export const remoteWriteSchema = obj({
  /** `remote_write[].name`: unique, in metric labels of the queue (`remote_name`). */
  name: text(['is not a remote-write name', 'use lower-case letters, digits and "-", e.g. "mimir"'],
    (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 40 ? undefined : ['is not a remote-write name', 'use lower-case letters, digits and "-", e.g. "mimir"'])),
  /** Full push URL, e.g. `https://mimir.example.com/api/v1/push`. Never with credentials in it. */
  url: httpUrl('https://mimir.example.com/api/v1/push'),
  /** Extra HTTP headers (not secrets), e.g. `X-Scope-OrgID` for a multi-tenant Mimir. */
  headers: headers(PROMETHEUS_RESERVED_HEADERS).optional(),
  /** Basic auth: user name in config, password from `secretName`/`passwordKey`. */
  basicAuth: basicAuthSchema('metrics-remote-write', 'use the user name (tenant) of the store').optional(),
  /** Bearer token (`authorization.credentials_file`) from `secretName`/`tokenKey`. */
  bearerToken: bearerTokenSchema('metrics-remote-write').optional(),
  /** `queue_config`. @default - sized for a remote store over a WAN (REMOTE_WRITE_QUEUE) */
  queue: remoteWriteQueueSchema.optional(),
  /** `write_relabel_configs`: e.g. keep only what long-term storage needs. */
  writeRelabelConfigs: list(relabelConfigSchema, '[{ sourceLabels: ["__name__"], regex: "go_.*", action: "drop" }]').optional(),
}).superRefine((rw, ctx) => oneCredential(rw, ctx)).readonly();

export const prometheusSchema = obj({
  /** The Prometheus image, pinned. */
  image: image({ repository: 'quay.io/prometheus/prometheus', tag: 'v3.14.0' }, { registryHost: true }),
  /** Listen port (`--web.listen-address`). */
  ports: listenPorts('prometheus', { http: 9090 }),
  resources: resourcesSchema,
  storage: storageSchema,
  /** `--storage.tsdb.retention.time`, e.g. `15d`. */
  retention: duration('15d'),
  /**
   * `--storage.tsdb.retention.size` in Prometheus units (`B`, `KB`, `MB`, `GB`, `TB`; powers of 1024).
   * Must stay below the volume size. @default - 80% of `storage.size`
   */
  retentionSize: promSize('8GB').optional(),
  /** `global.scrape_interval`. */
  scrapeInterval: duration('30s'),
  /** `global.scrape_timeout`; must not exceed the scrape interval. */
  scrapeTimeout: duration('10s'),
  /** `global.evaluation_interval` for recording and alerting rules. */
  evaluationInterval: duration('30s'),
  /** Added to `global.external_labels` next to `cluster`. */
  externalLabels: promLabels(['cluster']),
  /** Scrape pods annotated `prometheus.io/scrape: "true"` in every namespace. */
  scrapeAnnotatedPods: flag(),
  /** Long-term storage: every sample is also sent to these remote-write endpoints. @default - none */
  remoteWrite: list(remoteWriteSchema, '[{ name: "mimir", url: "https://mimir.example.com/api/v1/push" }]')
    .superRefine(uniqueBy((rw) => rw.name, 'is used by another remote-write target', 'give each target its own name', 'name')),
  /** Your own scrape jobs: static targets or Kubernetes discovery (`scrape-configs.ts`). @default - none */
  extraScrapeConfigs: extraScrapeConfigsSchema,
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((p, ctx) => {
  if (p.retentionSize !== undefined) {
    const size = parsePromSize(p.retentionSize);
    const volume = parseQuantity(p.storage.size);
    if (size !== undefined && volume !== undefined && size >= volume) {
      report(ctx, ['retentionSize'], p.retentionSize, `is not below the volume size prometheus.storage.size "${p.storage.size}"`,
        'lower retentionSize (about 80% of the volume leaves room for the WAL and compaction) or grow the volume');
    }
  }
  const interval = parseDurationNs(p.scrapeInterval);
  const timeout = parseDurationNs(p.scrapeTimeout);
  if (interval !== undefined && timeout !== undefined && timeout > interval) {
    report(ctx, ['scrapeTimeout'], p.scrapeTimeout, `is longer than prometheus.scrapeInterval "${p.scrapeInterval}"`, 'use a timeout no longer than the interval');
  }
  p.extraScrapeConfigs.forEach((j, i) => checkAgainstGlobal(j, i, p.scrapeInterval, ctx));
}).readonly();

export type PrometheusConfig = z.infer<typeof prometheusSchema>;
export type RemoteWriteSpec = z.infer<typeof remoteWriteSchema>;
export type RelabelSpec = z.infer<typeof relabelConfigSchema>;

export const PROMETHEUS_DEFAULTS: PrometheusConfig = {
  image: { repository: 'quay.io/prometheus/prometheus', tag: 'v3.14.0' },
  // Upstream default port, so upstream docs and habits (`:9090`) keep working.
  ports: { http: 9090 },
  resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  storage: { persistent: false, size: '10Gi', storageClassName: undefined },
  retention: '15d',
  retentionSize: undefined,
  scrapeInterval: '30s',
  scrapeTimeout: '10s',
  evaluationInterval: '30s',
  externalLabels: {},
  scrapeAnnotatedPods: true,
  remoteWrite: [],
  extraScrapeConfigs: [],
  pods: POD_DEFAULTS,
};

/** large: remote-writes to a long-term store (a placeholder URL), keeping a week locally. */
export const PROMETHEUS_PROFILES: ProfileChanges<PrometheusConfig> = {
  dev: {
    resources: { requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '500m', memory: '768Mi' } },
    storage: { persistent: false, size: '2Gi' },
    retention: '2d',
  },
  prod: {
    resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    storage: { persistent: true, size: '50Gi' },
    retention: '30d',
  },
  large: {
    resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } },
    storage: { persistent: true, size: '100Gi' },
    // Local retention only bridges remote-write outages and fast recent queries; history lives remotely.
    retention: '7d',
    // A placeholder store: edit the URL and create the Secret (see dist/large/README.md).
    remoteWrite: [{
      name: 'mimir',
      url: 'https://mimir.example.com/api/v1/push',
      basicAuth: { username: 'obs-stack', secretName: 'metrics-remote-write', passwordKey: 'password' },
    }],
  },
};
