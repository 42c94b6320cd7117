/**
 * The metrics catalog: every metric name the stack produces that a dashboard or rule may use, by source.
 * It is the single list the tests check dashboards and rules against ("is this a metric the stack actually
 * produces, with a component that is enabled?"). Adding a query on a new metric means adding the metric here
 * first, with where it comes from and, for the cluster sources, the labels it carries.
 *
 * Histograms are listed once by their base name; `_bucket`, `_sum` and `_count` are implied. A name may be
 * listed once per source (cAdvisor's container series come from the DaemonSet and from the kubelet).
 */
import type { StackConfig } from '../config/types';
import { APP_METRICS, MESSAGING_METRICS } from './signals';

export type MetricSource =
  | 'prometheus' | 'cadvisor' | 'loki' | 'tempo' | 'grafana' | 'promtail' | 'alloy'
  | 'scrape' | 'span-metrics' | 'service-graph' | 'app' | 'recording-rule'
  // Cluster monitoring (#18).
  | 'node-exporter' | 'kube-state-metrics' | 'kubelet' | 'kubelet-cadvisor' | 'kubelet-probes' | 'apiserver' | 'coredns';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricEntry {
  readonly name: string;
  /** What exports it: the component whose /metrics serves it, Prometheus's scrape, Tempo's generator, a rule, or the services. */
  readonly source: MetricSource;
  readonly type: MetricType;
  readonly help: string;
  /**
   * The labels the exporter gives the series (the scrape job adds SOURCE_TARGET_LABELS, Prometheus `job` and
   * `instance`; a histogram's `le` is implied). Listed for every cluster source. @default - not recorded
   */
  readonly labels?: readonly string[];
  /** For recorded series: the sources the recording rule reads; it records only while all of them are enabled. */
  readonly requires?: readonly MetricSource[];
  /**
   * A label matcher outside which the series do not exist (the exporter never produces them there): every
   * query of the metric must carry it, or its panel or alert stays empty.
   */
  readonly onlyWith?: string;
}

const m = (source: MetricSource, type: MetricType, name: string, help: string, labels?: readonly string[], onlyWith?: string): MetricEntry =>
  ({ name, source, type, help, ...(labels !== undefined ? { labels } : {}), ...(onlyWith !== undefined ? { onlyWith } : {}) });

/**
 * cAdvisor 0.60.5 reports filesystem usage for the node's root cgroup (`id="/"`: the node's filesystems)
 * and never for a containerd container (its containerd handler sets no filesystem), whatever its privileges.
 */
export const CADVISOR_ROOT_CGROUP = 'id="/"';

/**
 * Recorded series (see src/components/prometheus/rules.ts). Every one carries `service`, `source`
 * (`metrics` from the service's own HTTP metrics, `messages` from its own messaging metrics, `traces` from
 * Tempo span metrics) and, for the service's own series, `namespace`.
 */
/** Labels of the cAdvisor DaemonSet's container series after its job's relabelling. */
const CADVISOR_CONTAINER = ['namespace', 'pod', 'container', 'id', 'image'];

export const RECORDED = {
  requestsByClass: 'service_class:red_requests:rate5m',
  requests: 'service:red_requests:rate5m',
  errorRatioByClass: 'service_class:red_error_ratio:rate5m',
  errorRatio: 'service:red_error_ratio:rate5m',
  durationBuckets: 'service_le:red_request_duration_seconds_bucket:rate5m',
  latencyP50: 'service:red_request_duration_seconds:p50_rate5m',
  latencyP95: 'service:red_request_duration_seconds:p95_rate5m',
  latencyP99: 'service:red_request_duration_seconds:p99_rate5m',
} as const;

/** Recorded series of the cluster rules (src/components/kubernetes/rules.ts), named as the kubernetes-mixin names them. */
export const CLUSTER_RECORDED = {
  containerCpu: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
  containerMemory: 'node_namespace_pod_container:container_memory_working_set_bytes',
  workloadPod: 'namespace_workload_pod:kube_pod_owner:relabel',
  namespaceCpuRequests: 'namespace_cpu:kube_pod_container_resource_requests:sum',
  namespaceMemoryRequests: 'namespace_memory:kube_pod_container_resource_requests:sum',
  nodeCpuUtilisation: 'instance:node_cpu_utilisation:rate5m',
  nodeMemoryUtilisation: 'instance:node_memory_utilisation:ratio',
} as const;

/** Tempo metrics-generator series (span metrics and service graph), remote-written into Prometheus. */
export const SPAN_METRICS = {
  calls: 'traces_spanmetrics_calls_total',
  latency: 'traces_spanmetrics_latency',
  size: 'traces_spanmetrics_size_total',
  graphRequests: 'traces_service_graph_request_total',
  graphFailed: 'traces_service_graph_request_failed_total',
  graphServerSeconds: 'traces_service_graph_request_server_seconds',
  graphClientSeconds: 'traces_service_graph_request_client_seconds',
} as const;

/**
 * Span metrics of the spans that stand for work a service handled: a request it served (SERVER) or a message
 * it processed (CONSUMER). Client, producer and internal spans would count a request once per outgoing call.
 */
export const HANDLED_SPANS = 'span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"';

/**
 * Prometheus's notifier (alert delivery to Alertmanagers), by Alertmanager URL (label `alertmanager`).
 * Prometheus 3 adds to `sent` only what an Alertmanager accepted, to `errors` what failed.
 */
export const NOTIFIER_METRICS = {
  errors: 'prometheus_notifications_errors_total',
  sent: 'prometheus_notifications_sent_total',
  alertmanagersDiscovered: 'prometheus_notifications_alertmanagers_discovered',
} as const;

// --- Cluster monitoring (#18) ----------------------------------------------------------------------------
// Names and labels as the pinned exporters define them: node_exporter v1.12.1 (collector/*.go),
// kube-state-metrics v2.20.0 (internal/store/*.go), the kubelet (pkg/kubelet/metrics, the cAdvisor collector of
// pkg/kubelet/server, pkg/kubelet/prober), the API server (apiserver/pkg/endpoints/metrics) and CoreDNS
// (plugin/metrics/vars, plugin/cache).

const CONTAINER = ['namespace', 'pod', 'container', 'image', 'name', 'id'];
const NODE_FS = ['device', 'mountpoint', 'fstype', 'device_error'];
const POD = ['namespace', 'pod', 'uid'];
const POD_CONTAINER = [...POD, 'container'];
const PVC = ['namespace', 'persistentvolumeclaim'];
const API_REQUEST = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'];
const DNS_SERVER = ['server', 'zone', 'view'];

/** Recorded series of the cluster rules, with the sources each reads. */
const recorded = (name: string, help: string, labels: readonly string[], requires: readonly MetricSource[]): MetricEntry =>
  ({ name, source: 'recording-rule', type: 'gauge', help, labels, requires });

const CLUSTER_METRICS: readonly MetricEntry[] = [
  // node-exporter (job node-exporter): one target per node, `node` and `instance` = the node name.
  m('node-exporter', 'counter', 'node_cpu_seconds_total', 'CPU time per CPU and mode (cpu collector)', ['cpu', 'mode']),
  m('node-exporter', 'gauge', 'node_load1', '1m load average (loadavg collector)', []),
  m('node-exporter', 'gauge', 'node_load5', '5m load average', []),
  m('node-exporter', 'gauge', 'node_load15', '15m load average', []),
  m('node-exporter', 'gauge', 'node_memory_MemTotal_bytes', 'total memory (meminfo collector)', []),
  m('node-exporter', 'gauge', 'node_memory_MemAvailable_bytes', 'memory available without swapping', []),
  m('node-exporter', 'gauge', 'node_filesystem_avail_bytes', 'bytes available to non-root users (filesystem collector)', NODE_FS),
  m('node-exporter', 'gauge', 'node_filesystem_size_bytes', 'filesystem size', NODE_FS),
  m('node-exporter', 'gauge', 'node_filesystem_readonly', '1 when mounted read-only', NODE_FS),
  m('node-exporter', 'counter', 'node_disk_read_bytes_total', 'bytes read (diskstats collector)', ['device']),
  m('node-exporter', 'counter', 'node_disk_written_bytes_total', 'bytes written', ['device']),
  m('node-exporter', 'counter', 'node_disk_io_time_seconds_total', 'seconds spent doing I/O', ['device']),
  m('node-exporter', 'counter', 'node_network_receive_bytes_total', 'bytes received (netdev collector)', ['device']),
  m('node-exporter', 'counter', 'node_network_transmit_bytes_total', 'bytes sent', ['device']),
  m('node-exporter', 'counter', 'node_pressure_cpu_waiting_seconds_total', 'time some task waited for CPU (pressure collector, PSI)', []),
  m('node-exporter', 'counter', 'node_pressure_memory_waiting_seconds_total', 'time some task waited for memory', []),
  m('node-exporter', 'counter', 'node_pressure_io_waiting_seconds_total', 'time some task waited for I/O', []),
  m('node-exporter', 'counter', 'node_vmstat_oom_kill', 'OOM kills on the node (vmstat collector, field oom_kill)', []),
  m('node-exporter', 'gauge', 'node_uname_info', 'kernel and host name (uname collector)', ['sysname', 'release', 'version', 'machine', 'nodename', 'domainname']),
  m('node-exporter', 'gauge', 'node_boot_time_seconds', 'boot time (stat collector)', []),

  // kube-state-metrics (job kube-state-metrics): the series carry their own namespace and pod.
  m('kube-state-metrics', 'gauge', 'kube_node_info', 'one per node, with versions', ['node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'kubeproxy_version', 'provider_id', 'pod_cidr', 'system_uuid', 'internal_ip']),
  m('kube-state-metrics', 'gauge', 'kube_node_status_condition', '1 for the status a node condition has', ['node', 'condition', 'status']),
  m('kube-state-metrics', 'gauge', 'kube_node_status_allocatable', 'allocatable resources', ['node', 'resource', 'unit']),
  m('kube-state-metrics', 'gauge', 'kube_node_spec_taint', 'taints of a node', ['node', 'key', 'value', 'effect']),
  m('kube-state-metrics', 'gauge', 'kube_node_spec_unschedulable', '1 when a node is cordoned', ['node']),
  m('kube-state-metrics', 'gauge', 'kube_pod_info', 'one per pod, with its node', [...POD, 'host_ip', 'pod_ip', 'node', 'created_by_kind', 'created_by_name', 'priority_class', 'host_network']),
  m('kube-state-metrics', 'gauge', 'kube_pod_owner', 'the controller owning a pod', [...POD, 'owner_kind', 'owner_name', 'owner_is_controller']),
  m('kube-state-metrics', 'gauge', 'kube_pod_labels', 'pod labels in --metric-labels-allowlist', [...POD, 'label_app_kubernetes_io_name', 'label_app']),
  m('kube-state-metrics', 'gauge', 'kube_pod_status_phase', '1 for the phase a pod is in', [...POD, 'phase']),
  m('kube-state-metrics', 'gauge', 'kube_pod_status_ready', '1 for the status of the Ready condition', [...POD, 'condition']),
  m('kube-state-metrics', 'gauge', 'kube_pod_container_status_waiting_reason', '1 while a container waits, by reason', [...POD_CONTAINER, 'reason']),
  m('kube-state-metrics', 'counter', 'kube_pod_container_status_restarts_total', 'container restarts', POD_CONTAINER),
  m('kube-state-metrics', 'gauge', 'kube_pod_container_resource_requests', 'requested resources', [...POD_CONTAINER, 'node', 'resource', 'unit']),
  m('kube-state-metrics', 'gauge', 'kube_pod_container_resource_limits', 'resource limits', [...POD_CONTAINER, 'node', 'resource', 'unit']),
  m('kube-state-metrics', 'gauge', 'kube_replicaset_owner', 'the Deployment owning a ReplicaSet', ['namespace', 'replicaset', 'owner_kind', 'owner_name', 'owner_is_controller']),
  m('kube-state-metrics', 'gauge', 'kube_deployment_spec_replicas', 'desired replicas', ['namespace', 'deployment']),
  m('kube-state-metrics', 'gauge', 'kube_deployment_status_replicas_available', 'available replicas', ['namespace', 'deployment']),
  m('kube-state-metrics', 'gauge', 'kube_deployment_status_replicas_updated', 'replicas of the current template', ['namespace', 'deployment']),
  m('kube-state-metrics', 'gauge', 'kube_statefulset_replicas', 'desired replicas', ['namespace', 'statefulset']),
  m('kube-state-metrics', 'gauge', 'kube_statefulset_status_replicas_ready', 'ready replicas', ['namespace', 'statefulset']),
  m('kube-state-metrics', 'gauge', 'kube_statefulset_status_replicas_updated', 'replicas of the update revision', ['namespace', 'statefulset']),
  m('kube-state-metrics', 'gauge', 'kube_daemonset_status_desired_number_scheduled', 'nodes that should run the pod', ['namespace', 'daemonset']),
  m('kube-state-metrics', 'gauge', 'kube_daemonset_status_current_number_scheduled', 'nodes running the pod', ['namespace', 'daemonset']),
  m('kube-state-metrics', 'gauge', 'kube_daemonset_status_number_available', 'nodes with an available pod', ['namespace', 'daemonset']),
  m('kube-state-metrics', 'gauge', 'kube_daemonset_status_number_misscheduled', 'nodes running the pod that should not', ['namespace', 'daemonset']),
  m('kube-state-metrics', 'gauge', 'kube_daemonset_status_updated_number_scheduled', 'nodes running the current template', ['namespace', 'daemonset']),
  m('kube-state-metrics', 'gauge', 'kube_job_failed', '1 for the status of the Failed condition', ['namespace', 'job_name', 'condition']),
  m('kube-state-metrics', 'gauge', 'kube_persistentvolumeclaim_info', 'one per claim, with class and volume', [...PVC, 'storageclass', 'volumename', 'volumemode']),
  m('kube-state-metrics', 'gauge', 'kube_persistentvolumeclaim_status_phase', '1 for the phase a claim is in', [...PVC, 'phase']),
  m('kube-state-metrics', 'gauge', 'kube_persistentvolumeclaim_resource_requests_storage_bytes', 'requested storage', PVC),
  m('kube-state-metrics', 'gauge', 'kube_persistentvolumeclaim_access_mode', 'access modes of a claim', [...PVC, 'access_mode']),
  m('kube-state-metrics', 'gauge', 'kube_persistentvolume_status_phase', '1 for the phase a volume is in', ['persistentvolume', 'phase']),
  m('kube-state-metrics', 'gauge', 'kube_persistentvolume_capacity_bytes', 'volume capacity', ['persistentvolume']),

  // The kubelet's /metrics (job kubelet).
  m('kubelet', 'gauge', 'kubelet_running_pods', 'pods with a running sandbox', []),
  m('kubelet', 'gauge', 'kubelet_running_containers', 'containers by state', ['container_state']),
  m('kubelet', 'gauge', 'kubelet_volume_stats_capacity_bytes', 'volume capacity (volumes whose plugin reports usage)', PVC),
  m('kubelet', 'gauge', 'kubelet_volume_stats_available_bytes', 'volume bytes available', PVC),
  m('kubelet', 'gauge', 'kubelet_volume_stats_used_bytes', 'volume bytes used', PVC),
  m('kubelet', 'gauge', 'kubelet_volume_stats_inodes', 'volume inodes', PVC),
  m('kubelet', 'gauge', 'kubelet_volume_stats_inodes_used', 'volume inodes used', PVC),
  m('kubelet', 'gauge', 'kubelet_container_log_filesystem_used_bytes', 'bytes of a container\'s log files on the node (from the runtime\'s stats: works on containerd)', ['uid', 'namespace', 'pod', 'container']),
  m('kubelet', 'histogram', 'kubelet_pleg_relist_duration_seconds', 'time to relist pods from the runtime', []),
  m('kubelet', 'counter', 'kubelet_runtime_operations_errors_total', 'failed container runtime calls', ['operation_type']),

  // The kubelet's cAdvisor, /metrics/cadvisor (job kubelet-cadvisor); network series are the pod sandbox's.
  m('kubelet-cadvisor', 'counter', 'container_cpu_usage_seconds_total', 'CPU time consumed', [...CONTAINER, 'cpu']),
  m('kubelet-cadvisor', 'counter', 'container_cpu_cfs_periods_total', 'CFS enforcement periods', CONTAINER),
  m('kubelet-cadvisor', 'counter', 'container_cpu_cfs_throttled_periods_total', 'CFS periods the container was throttled in', CONTAINER),
  m('kubelet-cadvisor', 'gauge', 'container_spec_cpu_quota', 'CPU quota (limit) in microseconds per period', CONTAINER),
  m('kubelet-cadvisor', 'gauge', 'container_spec_cpu_period', 'CFS period in microseconds', CONTAINER),
  m('kubelet-cadvisor', 'gauge', 'container_memory_working_set_bytes', 'working set: what the OOM killer looks at', CONTAINER),
  m('kubelet-cadvisor', 'gauge', 'container_spec_memory_limit_bytes', 'memory limit (0 when unlimited)', CONTAINER),
  m('kubelet-cadvisor', 'counter', 'container_network_receive_bytes_total', 'bytes received', [...CONTAINER, 'interface']),
  m('kubelet-cadvisor', 'counter', 'container_network_transmit_bytes_total', 'bytes sent', [...CONTAINER, 'interface']),
  m('kubelet-cadvisor', 'counter', 'container_fs_reads_bytes_total', 'bytes read from disk', [...CONTAINER, 'device']),
  m('kubelet-cadvisor', 'counter', 'container_fs_writes_bytes_total', 'bytes written to disk', [...CONTAINER, 'device']),
  m('kubelet-cadvisor', 'gauge', 'container_start_time_seconds', 'container start time (changes on restart)', CONTAINER),
  m('kubelet-cadvisor', 'counter', 'container_oom_events_total', 'OOM kills (the kubelet reads the kernel log itself)', CONTAINER),

  // The kubelet's probe results, /metrics/probes (job kubelet-probes).
  m('kubelet-probes', 'counter', 'prober_probe_total', 'probe results by type and result (successful, failed, unknown)', ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid']),

  // The API server (job apiserver). Its latency histogram is not kept (thousands of series): sum and count only.
  m('apiserver', 'counter', 'apiserver_request_total', 'requests by verb, resource and HTTP code', [...API_REQUEST, 'code']),
  m('apiserver', 'counter', 'apiserver_request_duration_seconds_sum', 'total request time (the histogram\'s sum)', API_REQUEST),
  m('apiserver', 'counter', 'apiserver_request_duration_seconds_count', 'requests timed (the histogram\'s count)', API_REQUEST),
  m('apiserver', 'gauge', 'apiserver_current_inflight_requests', 'requests in flight, readOnly and mutating', ['request_kind']),
  m('apiserver', 'counter', 'process_cpu_seconds_total', 'CPU time of the API server process (every Go component has it; read with job apiserver)', []),
  m('apiserver', 'gauge', 'process_resident_memory_bytes', 'resident memory of the API server process (read with job apiserver)', []),

  // CoreDNS (job coredns), found as pods.
  m('coredns', 'counter', 'coredns_dns_requests_total', 'queries by zone, protocol and type', [...DNS_SERVER, 'proto', 'family', 'type']),
  m('coredns', 'counter', 'coredns_dns_responses_total', 'responses by rcode', [...DNS_SERVER, 'rcode', 'plugin']),
  m('coredns', 'histogram', 'coredns_dns_request_duration_seconds', 'time to answer a query', DNS_SERVER),
  m('coredns', 'counter', 'coredns_cache_requests_total', 'queries through the cache', ['server', 'zones', 'view']),
  m('coredns', 'counter', 'coredns_cache_hits_total', 'cache hits by type', ['server', 'type', 'zones', 'view']),

  // Recording rules of the cluster (src/components/kubernetes/rules.ts).
  recorded(CLUSTER_RECORDED.containerCpu, 'CPU cores per container (5m rate)', ['node', 'namespace', 'pod', 'container'], ['kubelet-cadvisor']),
  recorded(CLUSTER_RECORDED.containerMemory, 'working set per container', ['node', 'namespace', 'pod', 'container'], ['kubelet-cadvisor']),
  recorded(CLUSTER_RECORDED.workloadPod, 'the workload (Deployment, StatefulSet, DaemonSet, Job) of each pod', ['namespace', 'workload', 'workload_type', 'pod'], ['kube-state-metrics']),
  recorded(CLUSTER_RECORDED.namespaceCpuRequests, 'CPU requested by pending and running pods, per namespace', ['namespace'], ['kube-state-metrics']),
  recorded(CLUSTER_RECORDED.namespaceMemoryRequests, 'memory requested by pending and running pods, per namespace', ['namespace'], ['kube-state-metrics']),
  recorded(CLUSTER_RECORDED.nodeCpuUtilisation, 'share of CPU time not idle, per node', ['node'], ['node-exporter']),
  recorded(CLUSTER_RECORDED.nodeMemoryUtilisation, 'share of memory not available, per node', ['node'], ['node-exporter']),
];

export const METRICS_CATALOG: readonly MetricEntry[] = [
  // Added by Prometheus to every scrape target.
  m('scrape', 'gauge', 'up', '1 if the last scrape of the target succeeded'),
  m('scrape', 'gauge', 'scrape_samples_scraped', 'samples the target exposed in the last scrape'),
  m('scrape', 'gauge', 'scrape_duration_seconds', 'duration of the last scrape'),

  // Prometheus itself (job prometheus).
  m('prometheus', 'gauge', 'prometheus_tsdb_head_series', 'series in the head block'),
  m('prometheus', 'counter', 'prometheus_tsdb_head_samples_appended_total', 'samples appended to the head'),
  m('prometheus', 'gauge', 'prometheus_tsdb_wal_storage_size_bytes', 'size of the write-ahead log'),
  m('prometheus', 'counter', 'prometheus_tsdb_wal_corruptions_total', 'WAL corruptions found'),
  m('prometheus', 'histogram', 'prometheus_tsdb_wal_fsync_duration_seconds', 'WAL fsync duration (a summary upstream; _sum/_count used)'),
  m('prometheus', 'gauge', 'prometheus_tsdb_storage_blocks_bytes', 'bytes of persisted blocks'),
  m('prometheus', 'gauge', 'prometheus_tsdb_head_chunks_storage_size_bytes', 'bytes of memory-mapped head chunks on disk'),
  m('prometheus', 'gauge', 'prometheus_tsdb_retention_limit_bytes', 'storage.tsdb.retention.size in bytes (0 when unset)'),
  m('prometheus', 'counter', 'prometheus_tsdb_size_retentions_total', 'blocks deleted because of the size retention'),
  m('prometheus', 'counter', 'prometheus_rule_evaluation_failures_total', 'failed rule evaluations, by rule_group'),
  m('prometheus', 'counter', 'prometheus_target_scrapes_exceeded_sample_limit_total', 'scrapes rejected by sample_limit'),
  m('prometheus', 'counter', NOTIFIER_METRICS.errors, 'alerts an Alertmanager did not accept, by alertmanager'),
  m('prometheus', 'counter', NOTIFIER_METRICS.sent, 'alerts delivered, by alertmanager'),
  m('prometheus', 'gauge', NOTIFIER_METRICS.alertmanagersDiscovered, 'Alertmanagers discovered and active'),
  m('prometheus', 'counter', 'prometheus_http_requests_total', 'HTTP API requests, by handler and code (remote-write receiver included)'),

  // cAdvisor (job cadvisor); namespace/pod/container from CRI labels, node from the scrape target.
  // (The CRI container_label_* and `name` labels are dropped by the job.)
  m('cadvisor', 'counter', 'container_cpu_usage_seconds_total', 'CPU time consumed', [...CADVISOR_CONTAINER, 'cpu']),
  m('cadvisor', 'counter', 'container_cpu_cfs_periods_total', 'CFS enforcement periods', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'counter', 'container_cpu_cfs_throttled_periods_total', 'CFS periods the container was throttled in', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'gauge', 'container_spec_cpu_quota', 'CPU quota (limit) in microseconds per period', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'gauge', 'container_spec_cpu_period', 'CFS period in microseconds', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'gauge', 'container_memory_working_set_bytes', 'working set: what the OOM killer looks at', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'gauge', 'container_spec_memory_limit_bytes', 'memory limit (0 when unlimited)', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'counter', 'container_network_receive_bytes_total', 'bytes received', [...CADVISOR_CONTAINER, 'interface']),
  m('cadvisor', 'counter', 'container_network_transmit_bytes_total', 'bytes sent', [...CADVISOR_CONTAINER, 'interface']),
  m('cadvisor', 'counter', 'container_fs_reads_bytes_total', 'bytes read from disk', [...CADVISOR_CONTAINER, 'device']),
  m('cadvisor', 'counter', 'container_fs_writes_bytes_total', 'bytes written to disk', [...CADVISOR_CONTAINER, 'device']),
  m('cadvisor', 'gauge', 'container_fs_usage_bytes', 'bytes used on each filesystem of the node (root cgroup only)', ['id', 'node', 'device'], CADVISOR_ROOT_CGROUP),
  m('cadvisor', 'gauge', 'container_fs_limit_bytes', 'size of each filesystem of the node (root cgroup only)', ['id', 'node', 'device'], CADVISOR_ROOT_CGROUP),
  m('cadvisor', 'gauge', 'container_start_time_seconds', 'container start time (changes on restart)', [...CADVISOR_CONTAINER]),
  m('cadvisor', 'counter', 'container_oom_events_total', 'OOM kills (needs cadvisor.privileged for /dev/kmsg)', [...CADVISOR_CONTAINER]),

  // Loki (job loki).
  m('loki', 'counter', 'loki_distributor_lines_received_total', 'log lines received, by tenant'),
  m('loki', 'counter', 'loki_distributor_bytes_received_total', 'log bytes received, by tenant'),
  m('loki', 'counter', 'loki_discarded_samples_total', 'log lines rejected, by reason and tenant'),
  m('loki', 'counter', 'loki_discarded_bytes_total', 'log bytes rejected, by reason and tenant'),
  m('loki', 'gauge', 'loki_ingester_memory_streams', 'streams held in ingester memory'),

  // Tempo (job tempo).
  m('tempo', 'counter', 'tempo_distributor_spans_received_total', 'spans received, by tenant'),
  m('tempo', 'counter', 'tempo_distributor_bytes_received_total', 'span bytes received, by tenant'),
  m('tempo', 'counter', 'tempo_discarded_spans_total', 'spans rejected, by reason and tenant'),
  m('tempo', 'gauge', 'tempodb_blocklist_length', 'blocks in the backend, by tenant'),

  // Grafana (job grafana).
  m('grafana', 'gauge', 'grafana_build_info', 'Grafana version'),

  // Log agents (job promtail or alloy).
  m('promtail', 'counter', 'promtail_read_lines_total', 'lines read from log files'),
  m('promtail', 'counter', 'promtail_sent_entries_total', 'entries shipped to Loki'),
  m('promtail', 'counter', 'promtail_dropped_entries_total', 'entries dropped after retries'),
  m('alloy', 'counter', 'loki_write_sent_entries_total', 'entries loki.write shipped to Loki'),
  m('alloy', 'counter', 'loki_write_dropped_entries_total', 'entries loki.write dropped after retries'),

  // Tempo metrics-generator, remote-written (external label cluster, no job).
  m('span-metrics', 'counter', SPAN_METRICS.calls, 'spans, by service, span_name, span_kind, status_code'),
  m('span-metrics', 'histogram', SPAN_METRICS.latency, 'span duration in seconds, same labels'),
  m('span-metrics', 'counter', SPAN_METRICS.size, 'span bytes, same labels'),
  m('service-graph', 'counter', SPAN_METRICS.graphRequests, 'client/server request pairs, by client and server'),
  m('service-graph', 'counter', SPAN_METRICS.graphFailed, 'failed client/server request pairs'),
  m('service-graph', 'histogram', SPAN_METRICS.graphServerSeconds, 'server-side duration of an edge'),
  m('service-graph', 'histogram', SPAN_METRICS.graphClientSeconds, 'client-side duration of an edge'),

  // The HTTP contract instrumented services follow (the example services emit exactly these).
  m('app', 'counter', APP_METRICS.requestsTotal, 'finished HTTP requests, by method, route, status'),
  m('app', 'histogram', APP_METRICS.requestDuration, 'HTTP request duration in seconds, by method, route, status'),
  // Messaging (the example frontend and worker emit exactly these).
  m('app', 'counter', MESSAGING_METRICS.sent, 'messages sent, by messaging_destination_name; error_type on failures'),
  m('app', 'counter', MESSAGING_METRICS.consumed, 'messages processed, by messaging_destination_name; error_type on failures'),
  m('app', 'histogram', MESSAGING_METRICS.processDuration, 'time to process one message in seconds, same labels'),
  m('app', 'gauge', MESSAGING_METRICS.consumerLag, 'messages not yet processed, by messaging_destination_name, messaging_destination_partition_id, messaging_consumer_group_name'),

  // Recording rules.
  m('recording-rule', 'gauge', RECORDED.requestsByClass, 'requests/s by service, source and class (2xx..5xx, ok, error)'),
  m('recording-rule', 'gauge', RECORDED.requests, 'requests/s by service and source'),
  m('recording-rule', 'gauge', RECORDED.errorRatioByClass, 'share of requests in a failing class (4xx, 5xx, error)'),
  m('recording-rule', 'gauge', RECORDED.errorRatio, 'share of requests failing on the server side (5xx, span error)'),
  m('recording-rule', 'gauge', RECORDED.durationBuckets, 'request duration bucket rates by service, source, le'),
  m('recording-rule', 'gauge', RECORDED.latencyP50, 'p50 request duration in seconds'),
  m('recording-rule', 'gauge', RECORDED.latencyP95, 'p95 request duration in seconds'),
  m('recording-rule', 'gauge', RECORDED.latencyP99, 'p99 request duration in seconds'),

  ...CLUSTER_METRICS,
];

/** The concrete series names of one entry (a histogram's `_bucket`, `_sum` and `_count`). */
export function seriesNames(e: MetricEntry): string[] {
  return e.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((x) => e.name + x) : [e.name];
}

/** An entry is produced when its source is enabled and, for recorded series, every source its rule reads. */
function produced(e: MetricEntry, sources: ReadonlySet<MetricSource>): boolean {
  return sources.has(e.source) && (e.requires ?? []).every((r) => sources.has(r));
}

/**
 * Every concrete series name the catalog allows (histograms expanded to `_bucket`, `_sum`, `_count`); with
 * `sources`, only what those sources produce.
 */
export function catalogNames(sources?: ReadonlySet<MetricSource>): Set<string> {
  const names = new Set<string>();
  for (const e of METRICS_CATALOG) if (sources === undefined || produced(e, sources)) for (const n of seriesNames(e)) names.add(n);
  return names;
}

/** The series names one source exports that the stack reads: a cluster target's keep-list. */
export function sourceMetricNames(source: MetricSource): string[] {
  return METRICS_CATALOG.filter((e) => e.source === source).flatMap(seriesNames).sort();
}

/**
 * The labels the scrape jobs add to each cluster source's series (src/components/prometheus/prometheus-config.ts):
 * per-node targets get `node` (and `instance` = the node name); CoreDNS, found as pods, the pod labels.
 */
export const SOURCE_TARGET_LABELS: Readonly<Partial<Record<MetricSource, readonly string[]>>> = {
  cadvisor: ['node'],
  'node-exporter': ['node'],
  'kube-state-metrics': [],
  kubelet: ['node'],
  'kubelet-cadvisor': ['node'],
  'kubelet-probes': ['node'],
  apiserver: [],
  coredns: ['namespace', 'pod', 'container', 'node', 'service'],
};

/** The scrape job of each cluster source, as the jobs are named (src/components/kubernetes) and the rules and dashboards select them. */
export const CLUSTER_SOURCE_JOBS = {
  kubelet: 'kubelet',
  'kubelet-cadvisor': 'kubelet-cadvisor',
  'kubelet-probes': 'kubelet-probes',
  apiserver: 'apiserver',
  coredns: 'coredns',
} as const satisfies Partial<Record<MetricSource, string>>;

/** Labels every series may carry: `job` and `instance` from the scrape, `cluster` from the external labels. */
export const UNIVERSAL_LABELS: readonly string[] = ['__name__', 'job', 'instance', 'cluster'];

/**
 * The labels a query may match on for `series` produced by `sources`, or undefined where the catalog does
 * not record them (then any label passes).
 */
export function knownLabels(series: string, sources?: ReadonlySet<MetricSource>): Set<string> | undefined {
  const entries = METRICS_CATALOG.filter((e) => seriesNames(e).includes(series) && (sources === undefined || produced(e, sources)));
  if (entries.length === 0 || entries.some((e) => e.labels === undefined)) return undefined;
  const out = new Set<string>(UNIVERSAL_LABELS);
  for (const e of entries) {
    for (const l of [...e.labels!, ...(SOURCE_TARGET_LABELS[e.source] ?? [])]) out.add(l);
    if (e.type === 'histogram' && series.endsWith('_bucket')) out.add('le');
  }
  return out;
}

/** The sources of metrics a config produces: the enabled components, and the cluster parts Prometheus scrapes. */
export function enabledMetricSources(cfg: StackConfig): Set<MetricSource> {
  const k = cfg.kubernetes;
  const on: Record<MetricSource, boolean> = {
    scrape: true,
    prometheus: true,
    'recording-rule': true,
    cadvisor: cfg.cadvisor.enabled,
    loki: cfg.loki.enabled,
    tempo: cfg.tempo.enabled,
    grafana: cfg.grafana.enabled,
    promtail: cfg.loki.enabled && cfg.logAgent === 'promtail',
    alloy: cfg.loki.enabled && cfg.logAgent === 'alloy',
    'span-metrics': cfg.tempo.enabled && cfg.tempo.metricsGenerator,
    'service-graph': cfg.tempo.enabled && cfg.tempo.metricsGenerator,
    app: cfg.prometheus.scrapeAnnotatedPods,
    'node-exporter': cfg.nodeExporter.enabled,
    'kube-state-metrics': cfg.kubeStateMetrics.enabled,
    kubelet: k.kubelet.metrics,
    'kubelet-cadvisor': k.kubelet.cadvisor,
    'kubelet-probes': k.kubelet.probes,
    apiserver: k.apiServer.enabled,
    coredns: k.coredns.enabled,
  };
  return new Set((Object.keys(on) as MetricSource[]).filter((s) => on[s]));
}

/** The metric names instrumented services are expected to expose, as a README-ready markdown section. */
export function serviceMetricsContractMarkdown(): string {
  const l = APP_METRICS.labels;
  return [
    '### Metrics a service needs for the Services (RED) dashboard',
    '',
    'Either source is enough; a service with both shows both (`source` label / legend).',
    '',
    '| Source | Series | Labels |',
    '| --- | --- | --- |',
    `| Own \`/metrics\` (pod annotated \`prometheus.io/scrape: "true"\`) | \`${APP_METRICS.requestsTotal}\` (counter), \`${APP_METRICS.requestDuration}\` (histogram, seconds) | \`${l.method}\`, \`${l.route}\`, \`${l.status}\` (numeric HTTP code); \`service\` comes from the pod label \`app.kubernetes.io/name\` (or \`app\`) |`,
    `| Own \`/metrics\`, a message consumer | \`${MESSAGING_METRICS.consumed}\` (counter), \`${MESSAGING_METRICS.processDuration}\` (histogram, seconds) | \`${MESSAGING_METRICS.labels.destination}\`; \`${MESSAGING_METRICS.labels.errorType}\` on failures |`,
    `| Traces only (OTLP to Tempo) | \`${SPAN_METRICS.calls}\`, \`${SPAN_METRICS.latency}_bucket\` from Tempo's metrics-generator (SERVER and CONSUMER spans) | \`service\` = \`service.name\`, \`status_code\` = \`STATUS_CODE_ERROR\` for failures |`,
    '',
    `Recording rules unify them into \`${RECORDED.requests}\`, \`${RECORDED.errorRatio}\` and \`${RECORDED.latencyP99}\` (label \`source\`: \`metrics\`, \`messages\` or \`traces\`); alerts prefer \`metrics\` when a service has both it and \`traces\`.`,
    '',
  ].join('\n');
}
