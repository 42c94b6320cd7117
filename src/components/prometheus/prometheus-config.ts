/**
 * Prometheus's configuration file as typed data, with upstream key names
 * (https://prometheus.io/docs/prometheus/latest/configuration/configuration/). Pure: config in, object
 * out; used by the manifests and by the Helm values generator alike.
 */
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL, SERVICE_SOURCE_POD_LABELS, podLabelMeta } from '../../lib/labels';
import { OTLP_ATTRIBUTE_LABELS } from '../../lib/otlp';

export type RelabelAction =
  | 'replace' | 'keep' | 'drop' | 'keepequal' | 'dropequal' | 'hashmod' | 'labelmap' | 'labeldrop' | 'labelkeep' | 'lowercase' | 'uppercase';

export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
  action?: RelabelAction;
}

export interface KubernetesSdConfig {
  role: 'pod' | 'node' | 'service' | 'endpoints' | 'endpointslice' | 'ingress';
  namespaces?: { names?: string[]; own_namespace?: boolean };
  selectors?: Array<{ role: string; label?: string; field?: string }>;
}

export interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  metrics_path?: string;
  scheme?: 'http' | 'https';
  honor_labels?: boolean;
  /** Samples one scrape may return after metric relabelling; more fails the scrape (`up` 0). */
  sample_limit?: number;
  honor_timestamps?: boolean;
  basic_auth?: { username: string; password_file: string };
  authorization?: { type?: 'Bearer'; credentials_file: string };
  tls_config?: { ca_file?: string; server_name?: string; insecure_skip_verify?: boolean };
  kubernetes_sd_configs?: KubernetesSdConfig[];
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  relabel_configs?: RelabelConfig[];
  metric_relabel_configs?: RelabelConfig[];
}

/** `remote_write[]` (only the keys obs-stack sets). */
export interface RemoteWriteConfig {
  name: string;
  url: string;
  headers?: Record<string, string>;
  basic_auth?: { username: string; password_file: string };
  authorization?: { type: 'Bearer'; credentials_file: string };
  queue_config: { capacity: number; max_shards: number; max_samples_per_send: number };
  /** Exemplars carry trace ids into the long-term store too (the store must accept them; Mimir does). */
  send_exemplars: boolean;
  write_relabel_configs?: RelabelConfig[];
}

/** `alerting.alertmanagers[]` (only the keys obs-stack sets): one static Alertmanager. */
export interface AlertmanagerConfig {
  scheme: 'http' | 'https';
  path_prefix?: string;
  api_version: 'v2';
  basic_auth?: { username: string; password_file: string };
  authorization?: { type: 'Bearer'; credentials_file: string };
  /** `host:port`, the port always written (Prometheus would otherwise guess it from the scheme). */
  static_configs: Array<{ targets: string[] }>;
}

/**
 * `storage.tsdb.retention`: retention in the config file, where Prometheus 3.14 reads it (the
 * `--storage.tsdb.retention.*` flags are deprecated). `size` uses powers of 1024 (`40GB`).
 */
export interface TsdbRetention {
  time: string;
  size: string;
}

export interface PrometheusConfigFile {
  global: {
    scrape_interval: string;
    scrape_timeout: string;
    evaluation_interval: string;
    external_labels: Record<string, string>;
  };
  storage: { tsdb: { retention: TsdbRetention; out_of_order_time_window?: string } };
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
  remote_write?: RemoteWriteConfig[];
  alerting?: { alertmanagers: AlertmanagerConfig[] };
  /** The OTLP receiver's settings (`--web.enable-otlp-receiver`): resource attributes kept as series labels. */
  otlp?: OtlpConfig;
}

/** `otlp` (only the keys obs-stack sets). */
export interface OtlpConfig {
  promote_resource_attributes: string[];
}

/** Prometheus's series labels for OTLP metrics (the cluster is an external label there, as for scraped series). */
export function prometheusOtlpPromotedLabels(): string[] {
  return OTLP_ATTRIBUTE_LABELS.map((m) => m.label);
}

/**
 * How far back OTLP samples may arrive out of order (`storage.tsdb.out_of_order_time_window`): senders
 * batch and retry, and a forwarder's replicas may deliver one series' points in another order.
 */
export const OTLP_OUT_OF_ORDER_WINDOW = '30m';

export { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import type { ClusterScrapeTarget, ComponentScrapeTarget } from '../../lib/scrape';

export interface PrometheusConfigInput {
  readonly clusterName: string;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
  readonly evaluationInterval: string;
  /** Components scraped through pod discovery, Prometheus itself included. */
  readonly components: readonly ComponentScrapeTarget[];
  /** The target that reports every container of its node (`nodeContainers`), when one is deployed. @default - none */
  readonly nodeContainers?: ComponentScrapeTarget;
  /** Parts of the cluster (kubelet, API server, CoreDNS), scraped where they run. @default - none */
  readonly cluster?: readonly ClusterScrapeTarget[];
  /** Scrape pods annotated `prometheus.io/scrape: "true"` in every namespace. */
  readonly annotatedPods: boolean;
  /** Glob of the rule files mounted into the pod. */
  readonly ruleFilesGlob: string;
  /** Remote-write targets, credentials already turned into file paths inside the pod. @default - none */
  readonly remoteWrite?: readonly RemoteWriteConfig[];
  /** Alertmanagers to notify, credentials already turned into file paths inside the pod. @default - none */
  readonly alertmanagers?: readonly AlertmanagerConfig[];
  /** Resource attributes OTLP-received series keep as labels (the OTLP receiver is on). @default - receiver off */
  readonly otlpPromoteResourceAttributes?: readonly string[];
  readonly retention: TsdbRetention;
  /** `sample_limit` per kind of job (`prometheusSizing`). */
  readonly sampleLimits: { readonly component: number; readonly nodeContainers: number; readonly pods: number };
  /** The user's own jobs (`prometheus.extraScrapeConfigs`), rendered, after the stack's. @default - none */
  readonly extraJobs?: readonly ScrapeConfig[];
}

/** Job name of the annotation-driven pod scrape. */
export const ANNOTATED_PODS_JOB = 'kubernetes-pods';

/** Drop pods that finished: their IPs may already belong to someone else. */
const DROP_FINISHED_PODS: RelabelConfig = {
  source_labels: ['__meta_kubernetes_pod_phase'],
  regex: 'Succeeded|Failed',
  action: 'drop',
};

/**
 * The Kubernetes labels every pod-discovered target gets: namespace, pod, container, node, and the
 * shared service label (first non-empty of SERVICE_SOURCE_POD_LABELS). The same names are used by the
 * log agents and the trace store, so one label set filters metrics, logs and traces.
 */
export function podTargetLabels(): RelabelConfig[] {
  const serviceRules: RelabelConfig[] = [...SERVICE_SOURCE_POD_LABELS].reverse().map((podLabel) => ({
    // Lowest priority first: a later non-empty match overwrites an earlier one.
    source_labels: [podLabelMeta(podLabel)],
    regex: '(.+)',
    target_label: SERVICE_LABEL,
    replacement: '$1',
    action: 'replace',
  }));
  return [
    { source_labels: ['__meta_kubernetes_namespace'], target_label: K8S_SIGNAL_LABELS.namespace, action: 'replace' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: K8S_SIGNAL_LABELS.pod, action: 'replace' },
    { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: K8S_SIGNAL_LABELS.container, action: 'replace' },
    { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: K8S_SIGNAL_LABELS.node, action: 'replace' },
    ...serviceRules,
  ];
}

function podDiscovery(t: ComponentScrapeTarget): KubernetesSdConfig[] {
  return [{
    role: 'pod',
    namespaces: { names: [t.namespace] },
    selectors: [{ role: 'pod', label: `app.kubernetes.io/name=${t.appName}` }],
  }];
}

/** Keeps exactly the metrics port of a component's pods. */
function keepMetricsPort(t: ComponentScrapeTarget): RelabelConfig[] {
  return [
    { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: t.portName, action: 'keep' },
    DROP_FINISHED_PODS,
  ];
}

/** The node a per-node target runs on, as both `node` and `instance` (one target per node). */
function nodeTargetLabels(metaLabel: string): RelabelConfig[] {
  return [
    { source_labels: [metaLabel], target_label: K8S_SIGNAL_LABELS.node, action: 'replace' },
    { source_labels: [metaLabel], target_label: 'instance', action: 'replace' },
  ];
}

function componentJob(t: ComponentScrapeTarget, sampleLimit: number): ScrapeConfig {
  const labels = t.targetLabels ?? 'pod';
  return {
    job_name: t.job,
    metrics_path: t.metricsPath,
    sample_limit: sampleLimit,
    kubernetes_sd_configs: podDiscovery(t),
    relabel_configs: [
      ...keepMetricsPort(t),
      ...(labels === 'pod' ? podTargetLabels() : labels === 'node' ? nodeTargetLabels('__meta_kubernetes_pod_node_name') : []),
    ],
  };
}

/** Files Kubernetes mounts into a pod that mounts its ServiceAccount token. */
export const SERVICE_ACCOUNT_FILES = {
  token: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  ca: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
} as const;

/**
 * A part of the cluster: the kubelets through node discovery (`node` and `instance` = the node name), the
 * API server through the endpoints of its Service, CoreDNS through its pods. Only the metrics the stack's
 * rules and dashboards read are kept (`keepMetrics`): the API server and the kubelets' cAdvisor expose tens
 * of thousands of series that nothing would read.
 */
/** A cluster target's sample limit: the node's containers for the kubelet's cAdvisor, else the pods' limit. */
function clusterJob(t: ClusterScrapeTarget, limits: PrometheusConfigInput['sampleLimits']): ScrapeConfig {
  const d = t.discovery;
  let sd: KubernetesSdConfig;
  let relabel: RelabelConfig[];
  if (d.role === 'node') {
    sd = { role: 'node' };
    relabel = nodeTargetLabels('__meta_kubernetes_node_name');
  } else if (d.role === 'endpointslice') {
    sd = { role: 'endpointslice', namespaces: { names: [d.namespace] } };
    relabel = [{
      source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
      separator: ';', regex: `${d.service};${d.portName}`, action: 'keep',
    }];
  } else {
    const selector = Object.keys(d.podSelector).sort().map((k) => `${k}=${d.podSelector[k]}`).join(',');
    sd = { role: 'pod', namespaces: { names: [d.namespace] }, selectors: [{ role: 'pod', label: selector }] };
    relabel = [
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(d.port), action: 'keep' },
      DROP_FINISHED_PODS,
      ...podTargetLabels(),
    ];
  }
  const auth = t.serviceAccountAuth;
  return {
    job_name: t.job,
    metrics_path: t.metricsPath,
    scheme: t.scheme,
    sample_limit: t.job === 'kubelet-cadvisor' ? limits.nodeContainers : limits.pods,
    ...(t.honorTimestamps === false ? { honor_timestamps: false } : {}),
    ...(auth ? {
      authorization: { credentials_file: SERVICE_ACCOUNT_FILES.token },
      tls_config: auth.insecureSkipVerify
        ? { insecure_skip_verify: true }
        : { ca_file: SERVICE_ACCOUNT_FILES.ca, ...(auth.serverName !== undefined ? { server_name: auth.serverName } : {}) },
    } : {}),
    kubernetes_sd_configs: [sd],
    relabel_configs: relabel,
    metric_relabel_configs: [
      { source_labels: ['__name__'], regex: [...t.keepMetrics].sort().join('|'), action: 'keep' },
      ...(t.dropSeries ?? []).map((d): RelabelConfig => ({ source_labels: [...d.sourceLabels], separator: ';', regex: d.regex, action: 'drop' })),
    ],
  };
}

/**
 * A node-containers target reports every container of its node. Its target is the node, so the `namespace`,
 * `pod` and `container` labels come from the container's CRI labels (`container_label_*`, which the agent
 * must export), not from the agent's pod; series of cgroups that are not containers (system slices, pod
 * sandboxes) are dropped, except the node's root cgroup (`id="/"`).
 */
function nodeContainersJob(t: ComponentScrapeTarget, sampleLimit: number): ScrapeConfig {
  const criLabel = (l: string) => `container_label_${l.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  const podName = criLabel('io.kubernetes.pod.name');
  const podNamespace = criLabel('io.kubernetes.pod.namespace');
  const containerName = criLabel('io.kubernetes.container.name');
  return {
    job_name: t.job,
    metrics_path: t.metricsPath,
    // One target per node: the limit is a full node's containers (sizing.ts).
    sample_limit: sampleLimit,
    kubernetes_sd_configs: podDiscovery(t),
    relabel_configs: [
      ...keepMetricsPort(t),
      { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: K8S_SIGNAL_LABELS.node, action: 'replace' },
      { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'instance', action: 'replace' },
    ],
    metric_relabel_configs: [
      { source_labels: [podName, 'id'], separator: ';', regex: ';/.+', action: 'drop' },
      { source_labels: [containerName], regex: 'POD', action: 'drop' },
      { source_labels: [podNamespace], regex: '(.+)', target_label: K8S_SIGNAL_LABELS.namespace, replacement: '$1', action: 'replace' },
      { source_labels: [podName], regex: '(.+)', target_label: K8S_SIGNAL_LABELS.pod, replacement: '$1', action: 'replace' },
      { source_labels: [containerName], regex: '(.+)', target_label: K8S_SIGNAL_LABELS.container, replacement: '$1', action: 'replace' },
      { regex: 'container_label_.+|name', action: 'labeldrop' },
    ],
  };
}

/** Port names taken as a pod's metrics port when it does not annotate one: `metrics` or `<anything>-metrics`. */
export const METRICS_PORT_NAME_REGEX = 'metrics|.+-metrics';

/**
 * Pods anywhere in the cluster that opt in with `prometheus.io/scrape: "true"`, one target per pod:
 * - `prometheus.io/port: "<number>"`: the container port with that number (it must be declared in the pod
 *   spec; pod discovery only knows declared ports);
 * - no `prometheus.io/port`: the TCP ports named `metrics` or `*-metrics`. Every other declared port
 *   (a sidecar's, a gRPC or database port) and every container without ports is left alone, so none
 *   becomes an `up == 0` target. Pod discovery gives no port order, so "the first port" cannot be chosen.
 * `prometheus.io/path` and `prometheus.io/scheme` override `/metrics` and `http`.
 */
function annotatedPodsJob(sampleLimit: number): ScrapeConfig {
  const ann = (a: string) => `__meta_kubernetes_pod_annotation_prometheus_io_${a}`;
  const port = (a: string) => `__meta_kubernetes_pod_container_port_${a}`;
  const scrapePort = '__tmp_scrape_port';
  return {
    job_name: ANNOTATED_PODS_JOB,
    // Per pod: a tenth of the series budget, so one exposition cannot take the head (sizing.ts).
    sample_limit: sampleLimit,
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: [ann('scrape')], regex: 'true', action: 'keep' },
      DROP_FINISHED_PODS,
      // Metrics are served over TCP.
      { source_labels: [port('protocol')], regex: 'UDP|SCTP', action: 'drop' },
      // The port to scrape: the annotated number...
      { source_labels: [ann('port')], regex: '(\\d+)', target_label: scrapePort, replacement: '$1', action: 'replace' },
      // ...or, without an annotation, this target's own port when it is named like a metrics port.
      {
        source_labels: [ann('port'), port('name'), port('number')], separator: ';',
        regex: `;(?:${METRICS_PORT_NAME_REGEX});(\\d+)`, target_label: scrapePort, replacement: '$1', action: 'replace',
      },
      // No port chosen: drop (keepequal alone would keep a port-less container, since "" equals "").
      { source_labels: [scrapePort], regex: '', action: 'drop' },
      { source_labels: [port('number')], target_label: scrapePort, action: 'keepequal' },
      { source_labels: [ann('path')], regex: '(.+)', target_label: '__metrics_path__', replacement: '$1', action: 'replace' },
      { source_labels: [ann('scheme')], regex: '(https?)', target_label: '__scheme__', replacement: '$1', action: 'replace' },
      ...podTargetLabels(),
    ],
  };
}

export function renderPrometheusConfig(input: PrometheusConfigInput): PrometheusConfigFile {
  const limits = input.sampleLimits;
  const jobs: ScrapeConfig[] = input.components.map((t) => componentJob(t, limits.component));
  if (input.nodeContainers) jobs.push(nodeContainersJob(input.nodeContainers, limits.nodeContainers));
  jobs.push(...(input.cluster ?? []).map((t) => clusterJob(t, limits)));
  if (input.annotatedPods) jobs.push(annotatedPodsJob(limits.pods));
  jobs.push(...(input.extraJobs ?? []));
  return {
    global: {
      scrape_interval: input.scrapeInterval,
      scrape_timeout: input.scrapeTimeout,
      evaluation_interval: input.evaluationInterval,
      external_labels: { [CLUSTER_LABEL]: input.clusterName, ...input.externalLabels },
    },
    storage: { tsdb: { retention: { ...input.retention }, ...(input.otlpPromoteResourceAttributes !== undefined ? { out_of_order_time_window: OTLP_OUT_OF_ORDER_WINDOW } : {}) } },
    rule_files: [input.ruleFilesGlob],
    scrape_configs: jobs,
    ...(input.remoteWrite !== undefined && input.remoteWrite.length > 0 ? { remote_write: input.remoteWrite.map((r) => ({ ...r })) } : {}),
    ...(input.alertmanagers !== undefined && input.alertmanagers.length > 0 ? { alerting: { alertmanagers: input.alertmanagers.map((a) => ({ ...a })) } } : {}),
    ...(input.otlpPromoteResourceAttributes !== undefined ? { otlp: { promote_resource_attributes: [...input.otlpPromoteResourceAttributes] } } : {}),
  };
}
