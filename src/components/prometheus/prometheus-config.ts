/**
 * Prometheus's configuration file as typed data, with upstream key names
 * (https://prometheus.io/docs/prometheus/latest/configuration/configuration/). Pure: config in, object
 * out; used by the manifests and by the Helm values generator alike.
 */
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL, SERVICE_SOURCE_POD_LABELS, podLabelMeta } from '../../lib/labels';

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

export interface PrometheusConfigFile {
  global: {
    scrape_interval: string;
    scrape_timeout: string;
    evaluation_interval: string;
    external_labels: Record<string, string>;
  };
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
  remote_write?: RemoteWriteConfig[];
  alerting?: { alertmanagers: AlertmanagerConfig[] };
  /** OTLP receiver settings (`--web.enable-otlp-receiver`): resource attributes promoted to series labels. */
  otlp?: { promote_resource_attributes: string[] };
}

export { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import type { ComponentScrapeTarget } from '../../lib/scrape';

export interface PrometheusConfigInput {
  readonly clusterName: string;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
  readonly evaluationInterval: string;
  /** Components scraped through pod discovery, Prometheus itself included. */
  readonly components: readonly ComponentScrapeTarget[];
  /** cAdvisor DaemonSet, when enabled. */
  readonly cadvisor?: ComponentScrapeTarget;
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
 * log agents and Tempo, so one label set filters metrics, logs and traces.
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

function componentJob(t: ComponentScrapeTarget): ScrapeConfig {
  return {
    job_name: t.job,
    metrics_path: t.metricsPath,
    kubernetes_sd_configs: podDiscovery(t),
    relabel_configs: [...keepMetricsPort(t), ...podTargetLabels()],
  };
}

/**
 * cAdvisor reports every container of its node. Its target is the node, so the `namespace`, `pod` and
 * `container` labels come from the container's CRI labels (whitelisted by cAdvisor's flags), not from
 * the cAdvisor pod; series of cgroups that are not containers (system slices, pod sandboxes) are dropped,
 * except the node's root cgroup (`id="/"`).
 */
function cadvisorJob(t: ComponentScrapeTarget): ScrapeConfig {
  const criLabel = (l: string) => `container_label_${l.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  const podName = criLabel('io.kubernetes.pod.name');
  const podNamespace = criLabel('io.kubernetes.pod.namespace');
  const containerName = criLabel('io.kubernetes.container.name');
  return {
    job_name: t.job,
    metrics_path: t.metricsPath,
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

/**
 * Pods anywhere in the cluster that opt in with `prometheus.io/scrape: "true"`. `prometheus.io/port`
 * picks the declared container port to scrape (without it, every declared port is a target);
 * `prometheus.io/path` and `prometheus.io/scheme` override `/metrics` and `http`.
 */
function annotatedPodsJob(): ScrapeConfig {
  const ann = (a: string) => `__meta_kubernetes_pod_annotation_prometheus_io_${a}`;
  const scrapePort = '__tmp_scrape_port';
  return {
    job_name: ANNOTATED_PODS_JOB,
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: [ann('scrape')], regex: 'true', action: 'keep' },
      DROP_FINISHED_PODS,
      // The port to keep: the annotation if set, else the target's own declared port.
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], target_label: scrapePort, action: 'replace' },
      { source_labels: [ann('port')], regex: '(\\d+)', target_label: scrapePort, replacement: '$1', action: 'replace' },
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], target_label: scrapePort, action: 'keepequal' },
      { source_labels: [ann('path')], regex: '(.+)', target_label: '__metrics_path__', replacement: '$1', action: 'replace' },
      { source_labels: [ann('scheme')], regex: '(https?)', target_label: '__scheme__', replacement: '$1', action: 'replace' },
      ...podTargetLabels(),
    ],
  };
}

export function renderPrometheusConfig(input: PrometheusConfigInput): PrometheusConfigFile {
  const jobs: ScrapeConfig[] = input.components.map(componentJob);
  if (input.cadvisor) jobs.push(cadvisorJob(input.cadvisor));
  if (input.annotatedPods) jobs.push(annotatedPodsJob());
  return {
    global: {
      scrape_interval: input.scrapeInterval,
      scrape_timeout: input.scrapeTimeout,
      evaluation_interval: input.evaluationInterval,
      external_labels: { [CLUSTER_LABEL]: input.clusterName, ...input.externalLabels },
    },
    rule_files: [input.ruleFilesGlob],
    scrape_configs: jobs,
    ...(input.remoteWrite !== undefined && input.remoteWrite.length > 0 ? { remote_write: input.remoteWrite.map((r) => ({ ...r })) } : {}),
    ...(input.alertmanagers !== undefined && input.alertmanagers.length > 0 ? { alerting: { alertmanagers: input.alertmanagers.map((a) => ({ ...a })) } } : {}),
    ...(input.otlpPromoteResourceAttributes !== undefined ? { otlp: { promote_resource_attributes: [...input.otlpPromoteResourceAttributes] } } : {}),
  };
}
