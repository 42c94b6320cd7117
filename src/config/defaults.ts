/**
 * Every default of obs-stack, in one file: the pinned images, the base configuration, and what the
 * `dev`, `prod` and `large` profiles change. "What is Loki's retention by default?" is answered here and only here.
 */
import type { ImagesConfig, ObjectStorageSpec, ProfileName, StackConfig, StackOverrides } from './types';
// --- alerting and OTLP gateway (#19) ---
import { ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES } from '../components/alertmanager/config';
import { OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES } from '../components/otlp-gateway/config';

/**
 * The versions table: every image the stack runs, pinned to an exact tag. Override per environment with
 * `images.<component>.tag`, or rewrite every registry at once with `common.imageRegistry`.
 */
export const IMAGES: ImagesConfig = {
  prometheus: { repository: 'quay.io/prometheus/prometheus', tag: 'v3.14.0' },
  cadvisor: { repository: 'ghcr.io/google/cadvisor', tag: 'v0.60.5' },
  loki: { repository: 'docker.io/grafana/loki', tag: '3.7.6' },
  // Promtail reached end of life on 2026-03-02; 3.6.15 is the last 3.x line. Alloy is the successor.
  promtail: { repository: 'docker.io/grafana/promtail', tag: '3.6.15' },
  alloy: { repository: 'docker.io/grafana/alloy', tag: 'v1.18.1' },
  tempo: { repository: 'docker.io/grafana/tempo', tag: '2.10.8' },
  grafana: { repository: 'docker.io/grafana/grafana', tag: '13.2.0' },
  // Built from services/demo (see README: docker build + kind load); not pulled from a registry.
  demo: { repository: 'obs-stack/demo', tag: '0.1.0' },
};

/**
 * Object storage off: data on the component's volume. The credential key names are the ones the user's
 * Secret holds when `credentials.source` is `secret` (see README: kubectl create secret generic ...).
 */
const FILESYSTEM_STORAGE: ObjectStorageSpec = {
  type: 'filesystem',
  bucket: '',
  endpoint: '',
  region: '',
  forcePathStyle: false,
  accountName: '',
  credentials: {
    source: 'secret',
    secretName: '',
    keys: { accessKeyId: 'access-key-id', secretAccessKey: 'secret-access-key', accountKey: 'account-key', serviceAccountJson: 'service-account.json' },
    serviceAccountAnnotations: {},
  },
};

/**
 * `remote_write[].queue_config` for a remote store, unless a target sets its own. Prometheus's defaults
 * (capacity 10000, max_shards 50, max_samples_per_send 2000) suit a LAN; over a WAN with ~100 ms round
 * trips larger batches keep throughput with fewer shards. Capacity at 5x the batch size lets each shard
 * buffer a few batches while a request is in flight without holding much memory (about 100 B per sample).
 */
export const REMOTE_WRITE_QUEUE = { capacity: 25000, maxShards: 30, maxSamplesPerSend: 5000 } as const;

/** The base configuration every profile starts from. */
export const BASE: StackConfig = {
  common: {
    namespace: 'observability',
    agentNamespace: 'observability-agents',
    clusterName: 'local',
    labels: {},
    storageClassName: undefined,
    imageRegistry: undefined,
    imagePullSecrets: [],
    priorityClassName: undefined,
    // Opt-in; 1000000 sits well above ordinary workloads (0) and far below the system classes (2000000000+).
    priorityClass: { create: false, value: 1000000, preemptionPolicy: 'Never' },
  },
  images: IMAGES,
  // Upstream default ports, so upstream docs and habits (`:9090`, `:3100`, `:4317`) keep working.
  ports: {
    prometheus: { http: 9090 },
    cadvisor: { http: 8080 },
    loki: { http: 3100, grpc: 9095, memberlist: 7946 },
    promtail: { http: 3101 },
    alloy: { http: 12345 },
    tempo: { http: 3200, grpc: 9095, memberlist: 7946, otlpGrpc: 4317, otlpHttp: 4318, jaegerGrpc: 14250, jaegerThriftHttp: 14268, zipkin: 9411 },
    grafana: { http: 3000 },
    demo: { http: 8080 },
  },
  prometheus: {
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
  },
  cadvisor: {
    enabled: true,
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '300m', memory: '256Mi' } },
    housekeepingInterval: '10s',
    containerdSocket: '/run/containerd/containerd.sock',
    privileged: false,
  },
  loki: {
    enabled: true,
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
  },
  logAgent: 'promtail',
  promtail: {
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
  },
  alloy: {
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '300m', memory: '512Mi' } },
  },
  tempo: {
    enabled: true,
    replicas: 1,
    replicationFactor: 1,
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    storage: { persistent: false, size: '10Gi', storageClassName: undefined },
    objectStorage: FILESYSTEM_STORAGE,
    retention: '72h',
    receivers: { otlpGrpc: true, otlpHttp: true, jaeger: false, zipkin: false },
    metricsGenerator: true,
  },
  grafana: {
    enabled: true,
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    storage: { persistent: false, size: '1Gi', storageClassName: undefined },
    adminSecret: { name: '', userKey: 'admin-user', passwordKey: 'admin-password' },
    allowDefaultAdmin: false,
    metricsDatasource: { url: '', type: 'Prometheus', headers: {} },
    ingress: { enabled: false, host: '', className: undefined, tlsSecretName: undefined },
  },
  alerts: {
    enabled: true,
    thresholds: { errorRatio: 0.05, latencyP99Seconds: 1, for: '5m', tsdbSizeRatio: 0.9, minRequestRate: 0.1, downFor: '2m' },
    alertmanagers: [],
  },
  demo: {
    enabled: false,
    resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    errorRatio: 0.3,
    latencyMs: 0,
    jitterMs: 50,
    slowStepMs: 100,
    trafficRps: 2,
    otlp: 'traces', // (#19)
  },
  argocd: {
    repoURL: 'https://git.example.com/platform/obs-stack.git',
    targetRevision: 'main',
    destinationServer: 'https://kubernetes.default.svc',
    namespace: 'argocd',
    automated: false,
    prune: false,
  },
  helm: { enabled: true },
  networkPolicy: {
    enabled: true,
    dns: { namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' }, port: 53 },
    // Any address, but only on the API server's ports and only for the pods that hold a token: 443 is the
    // `kubernetes` Service port, 6443 the port most control planes listen on behind it (policies see the
    // translated address on most network plugins).
    kubeApiServer: { cidrs: ['0.0.0.0/0'], ports: [443, 6443] },
    externalEgress: { cidrs: ['0.0.0.0/0'] },
    ingressController: { namespace: 'ingress-nginx', podSelector: {} },
  },
  // --- alerting and OTLP gateway (#19) ---
  alertmanager: ALERTMANAGER_DEFAULTS,
  otlpGateway: OTLP_GATEWAY_DEFAULTS,
};

/**
 * What each profile changes on top of `BASE`.
 * - dev: a laptop cluster (kind, k3d): small requests, short retention, emptyDir data, example services on,
 *   Grafana's first-login admin allowed.
 * - prod: persistent volumes, longer retention, larger resources, an admin Secret required.
 * - large: prod grown past one node: Loki and Tempo on S3-compatible object storage (bucket names, endpoint
 *   and credentials Secret are placeholders to edit), Loki simple-scalable (3 write / 2 read / 2 backend),
 *   Tempo as one replica on object storage (see the comment there), Prometheus remote-writing to a
 *   long-term store, Alloy.
 */
export const PROFILES: Readonly<Record<ProfileName, StackOverrides>> = {
  dev: {
    common: { clusterName: 'kind' },
    prometheus: {
      resources: { requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '500m', memory: '768Mi' } },
      storage: { persistent: false, size: '2Gi' },
      retention: '2d',
    },
    loki: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      storage: { persistent: false, size: '2Gi' },
      retention: '48h',
      limits: { ingestionRateMB: 4, ingestionBurstSizeMB: 8 },
    },
    tempo: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      storage: { persistent: false, size: '2Gi' },
      retention: '24h',
    },
    grafana: {
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '300m', memory: '384Mi' } },
      allowDefaultAdmin: true,
    },
    cadvisor: {
      resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '200m', memory: '192Mi' } },
    },
    demo: { enabled: true },
    alertmanager: ALERTMANAGER_PROFILES.dev, otlpGateway: OTLP_GATEWAY_PROFILES.dev, // (#19)
  },
  prod: {
    common: { clusterName: 'prod' },
    prometheus: {
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      storage: { persistent: true, size: '50Gi' },
      retention: '30d',
    },
    loki: {
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      storage: { persistent: true, size: '50Gi' },
      retention: '720h',
      limits: { ingestionRateMB: 16, ingestionBurstSizeMB: 32 },
    },
    tempo: {
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      storage: { persistent: true, size: '50Gi' },
      retention: '336h',
    },
    grafana: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      storage: { persistent: true, size: '5Gi' },
      adminSecret: { name: 'grafana-admin' },
    },
    alerts: { thresholds: { errorRatio: 0.02, latencyP99Seconds: 0.5, for: '10m', downFor: '5m' } },
    alertmanager: ALERTMANAGER_PROFILES.prod, otlpGateway: OTLP_GATEWAY_PROFILES.prod, // (#19)
  },
  large: {
    common: { clusterName: 'large' },
    prometheus: {
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      storage: { persistent: true, size: '100Gi' },
      // Local retention only bridges remote-write outages and fast recent queries; history lives remotely.
      retention: '7d',
      remoteWrite: [{
        name: 'mimir',
        url: 'https://mimir.example.com/api/v1/push',
        basicAuth: { username: 'obs-stack', secretName: 'metrics-remote-write', passwordKey: 'password' },
      }],
    },
    loki: {
      mode: 'simple-scalable',
      storage: { persistent: true, size: '20Gi' },
      retention: '720h',
      limits: { ingestionRateMB: 32, ingestionBurstSizeMB: 64 },
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
    logAgent: 'alloy',
    alloy: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
    tempo: {
      // One replica on object storage: the tempo chart of the Helm path cannot run Tempo's scalable single
      // binary (no headless/memberlist Service), and `large` renders both paths. On the manifests path alone,
      // `replicas: 3, replicationFactor: 3` runs it; on Helm, more Tempo means the tempo-distributed chart.
      replicas: 1,
      replicationFactor: 1,
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '6Gi' } },
      storage: { persistent: true, size: '20Gi' },
      retention: '336h',
      objectStorage: {
        type: 's3',
        bucket: 'obs-stack-tempo',
        endpoint: 'https://s3.eu-west-1.amazonaws.com',
        region: 'eu-west-1',
        credentials: { source: 'secret', secretName: 'tempo-object-storage' },
      },
    },
    grafana: {
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
      storage: { persistent: true, size: '5Gi' },
      adminSecret: { name: 'grafana-admin' },
      // Dashboards read the long-term store, which holds the local Prometheus's samples and history.
      metricsDatasource: { url: 'https://mimir.example.com/prometheus', type: 'Mimir' },
    },
    cadvisor: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    },
    alerts: { thresholds: { errorRatio: 0.02, latencyP99Seconds: 0.5, for: '10m', downFor: '5m' } },
    alertmanager: ALERTMANAGER_PROFILES.large, otlpGateway: OTLP_GATEWAY_PROFILES.large, // (#19)
  },
};

/**
 * Helm path only: the helper containers some charts add next to the main one (prometheus' and alloy's
 * config reloaders, grafana's download-dashboards init container). They only watch a directory and call a
 * reload URL, or run a short script, so they stay tiny in every profile.
 */
export const HELM_SIDECAR_RESOURCES = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { cpu: '100m', memory: '64Mi' },
} as const;

/**
 * Helm path only: the helper images the charts add next to the components, pinned here (the tags the
 * pinned charts ship) so `common.imageRegistry` rewrites them like every other image (`imageRef`).
 * - prometheusReloader: prometheus 29.27.0 `configmapReload.prometheus.image`.
 * - alloyReloader: alloy 1.11.1 `configReloader.image` (the chart also pins a digest; the tag is kept, as everywhere).
 * - grafanaDownloadDashboards: grafana 12.11.1 `downloadDashboardsImage`, the init container the chart adds
 *   whenever `dashboards` is set.
 */
export const HELM_SIDECAR_IMAGES = {
  prometheusReloader: { repository: 'quay.io/prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1' },
  alloyReloader: { repository: 'quay.io/prometheus-operator/prometheus-config-reloader', tag: 'v0.91.0' },
  grafanaDownloadDashboards: { repository: 'docker.io/curlimages/curl', tag: '8.21.0' },
} as const;
