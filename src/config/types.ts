/**
 * The typed configuration of one obs-stack environment.
 *
 * Every field here is resolved (defaults applied) by the time a component sees it: components never
 * apply defaults of their own. Defaults and profiles live in `defaults.ts`; environments in
 * `environments.ts`; validation in `validate.ts`.
 *
 * Conventions: durations are strings in Prometheus/Go notation (`15d`, `168h`, `30s`); Kubernetes
 * quantities are strings (`500m`, `2Gi`); field names use the upstream component's own terms where one
 * exists (`retention`, `scrapeInterval`, `block_retention` is `tempo.retention`).
 */

/** CPU and memory for one container, as Kubernetes quantities. */
export interface ResourceSpec {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Where a component keeps its data. */
export interface StorageSpec {
  /** true: a PersistentVolumeClaim of `size`; false: an emptyDir capped at `size` (lost with the pod). */
  readonly persistent: boolean;
  /** Volume size as a Kubernetes quantity, e.g. `20Gi`. */
  readonly size: string;
  /** StorageClass for the claim. @default - `common.storageClassName`, else the cluster's default class */
  readonly storageClassName?: string;
}

/** A container image, pinned by tag (never `latest`). */
export interface ImageSpec {
  /** Registry and repository, e.g. `quay.io/prometheus/prometheus`. */
  readonly repository: string;
  /** An exact version tag, e.g. `v3.14.0`. */
  readonly tag: string;
}

/** Images every component runs; see `IMAGES` in defaults.ts for the pinned versions. */
export interface ImagesConfig {
  readonly prometheus: ImageSpec;
  readonly cadvisor: ImageSpec;
  readonly loki: ImageSpec;
  readonly promtail: ImageSpec;
  readonly alloy: ImageSpec;
  readonly tempo: ImageSpec;
  readonly grafana: ImageSpec;
  readonly demo: ImageSpec;
}

export interface CommonConfig {
  /** Namespace of the stack's servers (Prometheus, Loki, Tempo, Grafana). Labelled Pod Security `restricted`. */
  readonly namespace: string;
  /** Namespace of the per-node agents (cAdvisor, Promtail or Alloy), which need host access. */
  readonly agentNamespace: string;
  /** Name of the cluster; becomes the `cluster` external label on every metric, log stream and span metric. */
  readonly clusterName: string;
  /** Extra labels stamped on every object (never on selectors). */
  readonly labels: Readonly<Record<string, string>>;
  /** Default StorageClass for every persistent volume. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Replaces the registry host of every image, e.g. `registry.example.com/mirror`. @default - each image's own registry */
  readonly imageRegistry?: string;
  /** Secrets (created by the user) used to pull images from a private registry. */
  readonly imagePullSecrets: readonly string[];
  /** PriorityClass given to every pod of the stack. @default - none (cluster default priority) */
  readonly priorityClassName?: string;
  /**
   * Create the PriorityClass named `priorityClassName` (opt-in: many clusters manage their own). A value
   * above the workloads' own (default 0) means the kubelet evicts the stack last under node pressure, and the
   * scheduler places it first; it is the stack that tells you why the node ran out.
   */
  readonly priorityClass: PriorityClassSpec;
}

export interface PriorityClassSpec {
  readonly create: boolean;
  /** Must stay below 1000000000 (system-cluster-critical and system-node-critical are reserved above it). */
  readonly value: number;
  /**
   * `Never`: the stack is ordered first and evicted last but never preempts running workloads to get
   * scheduled. `PreemptLowerPriority` also lets it displace lower-priority pods when the cluster is full.
   */
  readonly preemptionPolicy: 'Never' | 'PreemptLowerPriority';
}

export interface PrometheusConfig {
  readonly resources: ResourceSpec;
  readonly storage: StorageSpec;
  /** `--storage.tsdb.retention.time`, e.g. `15d`. */
  readonly retention: string;
  /**
   * `--storage.tsdb.retention.size` in Prometheus units (`B`, `KB`, `MB`, `GB`, `TB`; powers of 1024).
   * Must stay below the volume size. @default - 80% of `storage.size`
   */
  readonly retentionSize?: string;
  /** `global.scrape_interval`. */
  readonly scrapeInterval: string;
  /** `global.scrape_timeout`; must not exceed the scrape interval. */
  readonly scrapeTimeout: string;
  /** `global.evaluation_interval` for recording and alerting rules. */
  readonly evaluationInterval: string;
  /** Added to `global.external_labels` next to `cluster`. */
  readonly externalLabels: Readonly<Record<string, string>>;
  /** Scrape pods annotated `prometheus.io/scrape: "true"` in every namespace. */
  readonly scrapeAnnotatedPods: boolean;
  /** Long-term storage: every sample is also sent to these remote-write endpoints. @default - none */
  readonly remoteWrite: readonly RemoteWriteSpec[];
}

/**
 * One `remote_write` target (Mimir, Thanos receive, Cortex, VictoriaMetrics, a managed service).
 * Credentials come from a Secret the user creates, mounted as files (`password_file`, `credentials_file`).
 */
export interface RemoteWriteSpec {
  /** `remote_write[].name`: unique, in metric labels of the queue (`remote_name`). */
  readonly name: string;
  /** Full push URL, e.g. `https://mimir.example.com/api/v1/push`. */
  readonly url: string;
  /** Extra HTTP headers (not secrets), e.g. `X-Scope-OrgID` for a multi-tenant Mimir. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Basic auth: user name in config, password from `secretName`/`passwordKey`. */
  readonly basicAuth?: { readonly username: string; readonly secretName: string; readonly passwordKey: string };
  /** Bearer token (`authorization.credentials_file`) from `secretName`/`tokenKey`. */
  readonly bearerToken?: { readonly secretName: string; readonly tokenKey: string };
  /** `queue_config`. @default - sized for a remote store over a WAN (see defaults.ts REMOTE_WRITE_QUEUE) */
  readonly queue?: { readonly capacity?: number; readonly maxShards?: number; readonly maxSamplesPerSend?: number };
  /** `write_relabel_configs`: e.g. keep only what long-term storage needs. */
  readonly writeRelabelConfigs?: ReadonlyArray<{
    readonly sourceLabels?: readonly string[];
    readonly regex?: string;
    readonly action?: 'keep' | 'drop' | 'replace' | 'labeldrop' | 'labelkeep';
    readonly targetLabel?: string;
    readonly replacement?: string;
  }>;
}

export interface CadvisorConfig {
  readonly enabled: boolean;
  readonly resources: ResourceSpec;
  /** `--housekeeping_interval`: how often container stats are collected. */
  readonly housekeepingInterval: string;
  /**
   * containerd's socket on the node: `/run/containerd/containerd.sock` on kind, kubeadm and most managed
   * clusters; `/run/k3s/containerd/containerd.sock` on k3s.
   */
  readonly containerdSocket: string;
  /**
   * Run privileged so cAdvisor can read `/dev/kmsg` and report `container_oom_events_total`.
   * Every other metric obs-stack keeps works without it.
   */
  readonly privileged: boolean;
}

export interface LokiLimits {
  /** `limits_config.ingestion_rate_mb` per tenant. */
  readonly ingestionRateMB: number;
  /** `limits_config.ingestion_burst_size_mb` per tenant. */
  readonly ingestionBurstSizeMB: number;
  /** `limits_config.max_query_series`. */
  readonly maxQuerySeries: number;
  /** `limits_config.max_query_lookback`-style cap on one query's range (`limits_config.max_query_length`). */
  readonly maxQueryLength: string;
}

/** The object-storage backends Loki and Tempo can keep their data in. `filesystem`: the data volume. */
export type ObjectStorageType = 'filesystem' | 's3' | 'gcs' | 'azure';

/**
 * Where credentials for the object store come from; never the credentials themselves.
 * - `secret`: a Secret the user creates (listed by `userSecrets`); its keys reach the process as
 *   environment variables (`secretKeyRef`) that the config file references as `${VAR}`
 *   (`-config.expand-env=true`), or, for GCS, as a mounted key file (`GOOGLE_APPLICATION_CREDENTIALS`).
 * - `workloadIdentity`: no Secret; the ServiceAccount carries `serviceAccountAnnotations` (EKS IRSA
 *   `eks.amazonaws.com/role-arn`, GKE `iam.gke.io/gcp-service-account`, AKS `azure.workload.identity/client-id`)
 *   and the SDK's default credential chain picks up what the cloud's webhook or metadata server provides.
 */
export interface ObjectStorageCredentials {
  readonly source: 'secret' | 'workloadIdentity';
  /** Name of the Secret (source `secret`). */
  readonly secretName: string;
  /** Keys inside that Secret, per backend: S3 uses the first two, Azure `accountKey`, GCS `serviceAccountJson`. */
  readonly keys: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly accountKey: string;
    readonly serviceAccountJson: string;
  };
  /** Annotations on the component's ServiceAccount (source `workloadIdentity`). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

/** Object storage for one component (Loki or Tempo). */
export interface ObjectStorageSpec {
  readonly type: ObjectStorageType;
  /** S3 or GCS bucket, Azure blob container. */
  readonly bucket: string;
  /**
   * The store's URL, `https://host[:port]` (`http://` turns TLS off, e.g. for an in-cluster MinIO).
   * S3: required (e.g. `https://s3.eu-west-1.amazonaws.com`). GCS: @default `https://storage.googleapis.com`.
   * Azure: @default `https://<accountName>.blob.core.windows.net`.
   */
  readonly endpoint: string;
  /** S3 region, e.g. `eu-west-1`. */
  readonly region: string;
  /** S3: path-style URLs (`endpoint/bucket`), which MinIO and most S3-compatible stores need. */
  readonly forcePathStyle: boolean;
  /** Azure storage account name. */
  readonly accountName: string;
  readonly credentials: ObjectStorageCredentials;
}

/** One target of Loki's simple scalable mode. */
export interface LokiTargetSpec {
  readonly replicas: number;
  readonly resources: ResourceSpec;
}

export interface LokiConfig {
  readonly enabled: boolean;
  /**
   * `monolithic`: one process runs every module (`-target=all`), one replica. `simple-scalable`: the
   * upstream chart's read / write / backend targets joined by memberlist, each scaled on its own; needs
   * object storage.
   */
  readonly mode: 'monolithic' | 'simple-scalable';
  /** Monolithic: the one container's resources. */
  readonly resources: ResourceSpec;
  /** Data volume: monolithic's everything; simple-scalable's write (WAL) and backend (compactor) volumes. */
  readonly storage: StorageSpec;
  readonly objectStorage: ObjectStorageSpec;
  /** Simple-scalable targets. */
  readonly write: LokiTargetSpec;
  readonly read: LokiTargetSpec;
  readonly backend: LokiTargetSpec;
  /** Simple-scalable: copies of every stream across write replicas (`common.replication_factor`). */
  readonly replicationFactor: number;
  /** `limits_config.retention_period`; enforced by the compactor. */
  readonly retention: string;
  /**
   * The tenant every writer and reader uses. Empty: `auth_enabled: false` (single tenant, no header).
   * Set: `auth_enabled: true`, and Promtail/Alloy and Grafana all send `X-Scope-OrgID: <tenant>`.
   */
  readonly tenant: string;
  readonly limits: LokiLimits;
}

export type LogAgentKind = 'promtail' | 'alloy';

export interface LogAgentSpec {
  readonly resources: ResourceSpec;
}

export interface TempoReceivers {
  readonly otlpGrpc: boolean;
  readonly otlpHttp: boolean;
  readonly jaeger: boolean;
  readonly zipkin: boolean;
}

export interface TempoConfig {
  readonly enabled: boolean;
  /**
   * Replicas. 1: monolithic (`-target=all`). More: Tempo's scalable single binary
   * (`-target=scalable-single-binary`, every module in each pod, rings over memberlist), which needs object storage.
   */
  readonly replicas: number;
  /** With more than one replica: copies of every trace across ingesters (`ingester.lifecycler.ring.replication_factor`). */
  readonly replicationFactor: number;
  readonly resources: ResourceSpec;
  /** WAL (and blocks with `filesystem` object storage). */
  readonly storage: StorageSpec;
  readonly objectStorage: ObjectStorageSpec;
  /** `compactor.compaction.block_retention`: how long traces are kept. */
  readonly retention: string;
  readonly receivers: TempoReceivers;
  /** Run the metrics-generator (span metrics, service graph, TraceQL metrics) and remote-write to Prometheus. */
  readonly metricsGenerator: boolean;
}

export interface GrafanaIngress {
  readonly enabled: boolean;
  /** Public host name; also Grafana's `server.root_url`. */
  readonly host: string;
  /** `spec.ingressClassName`. @default - the cluster's default IngressClass */
  readonly className?: string;
  /** Secret (created by the user or cert-manager) holding the TLS certificate for `host`. @default - plain HTTP */
  readonly tlsSecretName?: string;
}

export interface GrafanaConfig {
  readonly enabled: boolean;
  readonly resources: ResourceSpec;
  readonly storage: StorageSpec;
  /**
   * Secret (created by the user) with the admin credentials. Empty: Grafana's first-login default
   * (admin/admin, change prompted) — allowed only where `allowDefaultAdmin` is true (the dev profile).
   */
  readonly adminSecret: { readonly name: string; readonly userKey: string; readonly passwordKey: string };
  readonly allowDefaultAdmin: boolean;
  /**
   * Query metrics from a long-term store (Mimir, Thanos query) instead of the local Prometheus. Same
   * datasource UID either way, so dashboards and correlations keep working. Empty `url`: the local Prometheus.
   */
  readonly metricsDatasource: {
    /** Prometheus-compatible query URL, e.g. `https://mimir.example.com/prometheus`. */
    readonly url: string;
    readonly type: 'Prometheus' | 'Mimir' | 'Thanos' | 'Cortex';
    /** Extra headers (not secrets), e.g. `X-Scope-OrgID`. */
    readonly headers: Readonly<Record<string, string>>;
  };
  readonly ingress: GrafanaIngress;
}

export interface AlertThresholds {
  /** Error ratio (0..1) above which `ServiceHighErrorRatio` fires. */
  readonly errorRatio: number;
  /** p99 latency in seconds above which `ServiceHighLatencyP99` fires. */
  readonly latencyP99Seconds: number;
  /** How long a condition must hold before an alert fires, e.g. `5m`. */
  readonly for: string;
  /** Fraction (0..1) of the TSDB size retention at which `PrometheusTsdbNearRetentionSize` fires. */
  readonly tsdbSizeRatio: number;
  /**
   * Requests per second a service must serve before its error-ratio and latency alerts may fire, so a
   * single failed request on an idle service does not page anyone.
   */
  readonly minRequestRate: number;
  /** How long a stack component (or a scrape target) must be down before its alert fires, e.g. `2m`. */
  readonly downFor: string;
}

export interface AlertsConfig {
  readonly enabled: boolean;
  readonly thresholds: AlertThresholds;
  /**
   * Alertmanagers (already running, in or outside the cluster) that Prometheus sends firing alerts to
   * (`alerting.alertmanagers`). Needs `enabled`. @default - none: alerts fire in Prometheus only
   */
  readonly alertmanagers: readonly AlertmanagerSpec[];
}

/**
 * One Alertmanager Prometheus notifies (API v2). Credentials come from a Secret the user creates, mounted as
 * files exactly like remote-write credentials.
 */
export interface AlertmanagerSpec {
  /**
   * Scheme, host and optional port, without a path: `https://alertmanager.example.com` or, in the cluster,
   * `http://alertmanager.monitoring.svc:9093`.
   */
  readonly url: string;
  /** `path_prefix` when the Alertmanager is served under a path, e.g. `/alertmanager`. @default - none */
  readonly pathPrefix?: string;
  /** Basic auth: user name in config, password from `secretName`/`passwordKey`. */
  readonly basicAuth?: RemoteWriteSpec['basicAuth'];
  /** Bearer token (`authorization.credentials_file`) from `secretName`/`tokenKey`. */
  readonly bearerToken?: RemoteWriteSpec['bearerToken'];
}

export interface DemoConfig {
  readonly enabled: boolean;
  readonly resources: ResourceSpec;
  /** Fraction (0..1) of backend requests answered with HTTP 500. */
  readonly errorRatio: number;
  /** Latency added to every backend request, in milliseconds. */
  readonly latencyMs: number;
  /** Random extra latency (0..jitterMs) on every backend request, in milliseconds. */
  readonly jitterMs: number;
  /** Duration of the backend's slow downstream step, in milliseconds. */
  readonly slowStepMs: number;
  /** Requests per second the traffic generator sends to the frontend. */
  readonly trafficRps: number;
  // --- OTLP gateway (#19) ---
  /**
   * `traces`: traces over OTLP to Tempo, metrics scraped from `/metrics`, logs on stdout (the log agent).
   * `all`: traces, metrics and logs over OTLP to the OTLP gateway (needs `otlpGateway.enabled`).
   */
  readonly otlp: 'traces' | 'all';
}

export interface ArgoCdConfig {
  /** Git repository ArgoCD reads `dist/` from. */
  readonly repoURL: string;
  /** Branch, tag or commit. */
  readonly targetRevision: string;
  /** Destination cluster API server. */
  readonly destinationServer: string;
  /** Namespace the Application objects live in. */
  readonly namespace: string;
  /** Let ArgoCD sync on every commit (opt-in). */
  readonly automated: boolean;
  /** With `automated`: delete objects that left `dist/` (opt-in). */
  readonly prune: boolean;
}

/**
 * Every port the stack listens on, per component. Each component's ports must differ from one another
 * (they share a pod); the endpoint registry (`src/lib/endpoints.ts`) turns these into Services and URLs.
 */
export interface PortsConfig {
  readonly prometheus: { readonly http: number };
  readonly cadvisor: { readonly http: number };
  /** `memberlist`: gossip between Loki pods in simple-scalable mode. */
  readonly loki: { readonly http: number; readonly grpc: number; readonly memberlist: number };
  readonly promtail: { readonly http: number };
  readonly alloy: { readonly http: number };
  readonly tempo: {
    readonly http: number;
    readonly grpc: number;
    /** Gossip between Tempo replicas (more than one replica). */
    readonly memberlist: number;
    readonly otlpGrpc: number;
    readonly otlpHttp: number;
    readonly jaegerGrpc: number;
    readonly jaegerThriftHttp: number;
    readonly zipkin: number;
  };
  readonly grafana: { readonly http: number };
  readonly demo: { readonly http: number };
}

/** Where the cluster DNS pods are, for the DNS egress every pod of the stack needs. */
export interface DnsPeer {
  /** Namespace of the DNS pods (`kube-system` for CoreDNS on kind, kubeadm, k3s, EKS, GKE and AKS). */
  readonly namespace: string;
  /** Labels of the DNS pods (`k8s-app: kube-dns` for CoreDNS almost everywhere). */
  readonly podSelector: Readonly<Record<string, string>>;
  /** DNS port, allowed over UDP and TCP. */
  readonly port: number;
}

export interface NetworkPolicyConfig {
  /** Default-deny in both namespaces plus allow rules generated from the wires. */
  readonly enabled: boolean;
  readonly dns: DnsPeer;
  /**
   * The Kubernetes API server, for the pods that mount a ServiceAccount token (Prometheus pod discovery,
   * the log agents). The API server is not a pod, so no selector can name it: policies see it only as an
   * address. The default (any address on the listed ports, for those pods only) works on every cluster;
   * set the control-plane CIDRs (`kubectl get endpoints kubernetes`) to narrow it.
   */
  readonly kubeApiServer: { readonly cidrs: readonly string[]; readonly ports: readonly number[] };
  /**
   * Stores outside the cluster (object storage, remote write, an external metrics datasource): NetworkPolicies
   * can only name them by address, and DNS names resolve to addresses that change (S3, GCS and Azure front
   * ends rotate). The default allows any address, but only on each external endpoint's port and only for the
   * pods wired to it; set the provider's published ranges or a NAT/proxy CIDR to narrow it. An endpoint inside
   * the cluster (`<service>.<namespace>.svc`) is allowed by namespace instead.
   */
  readonly externalEgress: { readonly cidrs: readonly string[] };
  /** Where the ingress controller runs, allowed to reach Grafana when `grafana.ingress.enabled`. */
  readonly ingressController: {
    readonly namespace: string;
    /** Labels of the controller pods; empty: every pod of that namespace. */
    readonly podSelector: Readonly<Record<string, string>>;
  };
}

export interface StackConfig {
  readonly common: CommonConfig;
  readonly images: ImagesConfig;
  readonly ports: PortsConfig;
  readonly prometheus: PrometheusConfig;
  readonly cadvisor: CadvisorConfig;
  readonly loki: LokiConfig;
  /** Which agent ships container logs to Loki. Promtail is end of life (March 2026); Alloy is its successor. */
  readonly logAgent: LogAgentKind;
  readonly promtail: LogAgentSpec;
  readonly alloy: LogAgentSpec;
  readonly tempo: TempoConfig;
  readonly grafana: GrafanaConfig;
  readonly alerts: AlertsConfig;
  readonly demo: DemoConfig;
  readonly argocd: ArgoCdConfig;
  /**
   * Also render `dist/<env>/helm/` (values for the official charts). Turn it off for an environment that uses
   * what only the manifests can express (e.g. `tempo.replicas` above 1).
   */
  readonly helm: { readonly enabled: boolean };
  readonly networkPolicy: NetworkPolicyConfig;
  // --- alerting and OTLP gateway (#19): slices defined in their component folders ---
  readonly alertmanager: import('../components/alertmanager/config').AlertmanagerStackConfig;
  readonly otlpGateway: import('../components/otlp-gateway/config').OtlpGatewayConfig;
}

/** A partial config, as environments and profiles write it: any field may be left out. */
export type StackOverrides = DeepPartial<StackConfig>;

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type ProfileName = 'dev' | 'prod' | 'large';

/** One environment: a name (its folder under `dist/`), the profile it starts from, and its own overrides. */
export interface EnvironmentDefinition {
  /** Folder name under `dist/`: lower-case letters, digits and dashes. */
  readonly name: string;
  readonly profile: ProfileName;
  readonly overrides?: StackOverrides;
}

/** A resolved, validated environment handed to the composition root. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly profile: ProfileName;
  readonly config: StackConfig;
}
