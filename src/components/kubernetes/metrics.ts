/**
 * The cluster's own metric sources that dashboards and rules read, named and labelled as the kubelet
 * (pkg/kubelet/metrics, the kubelet's cAdvisor collector in pkg/kubelet/server, pkg/kubelet/prober), the API server
 * (apiserver/pkg/endpoints/metrics) and CoreDNS (plugin/metrics/vars, plugin/cache) define them.
 */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

/** The scrape job of each source, as the jobs are named and the rules and dashboards select them. */
export const CLUSTER_SOURCE_JOBS = {
  kubelet: 'kubelet',
  'kubelet-cadvisor': 'kubelet-cadvisor',
  'kubelet-probes': 'kubelet-probes',
  apiserver: 'apiserver',
  coredns: 'coredns',
} as const;

const CONTAINER = ['namespace', 'pod', 'container', 'image', 'name', 'id'];
const PVC = ['namespace', 'persistentvolumeclaim'];
const API_REQUEST = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'];
const DNS_SERVER = ['server', 'zone', 'view'];

/** The kubelet's /metrics (job kubelet). Per-node targets: the job adds `node` (and `instance` = the node name). */
const KUBELET: MetricSourceSpec = {
  source: 'kubelet',
  enabled: (cfg) => cfg.kubernetes.kubelet.metrics,
  targetLabels: ['node'],
  metrics: [
    metric('gauge', 'kubelet_running_pods', 'pods with a running sandbox', []),
    metric('gauge', 'kubelet_running_containers', 'containers by state', ['container_state']),
    metric('gauge', 'kubelet_volume_stats_capacity_bytes', 'volume capacity (volumes whose plugin reports usage)', PVC),
    metric('gauge', 'kubelet_volume_stats_available_bytes', 'volume bytes available', PVC),
    metric('gauge', 'kubelet_volume_stats_used_bytes', 'volume bytes used', PVC),
    metric('gauge', 'kubelet_volume_stats_inodes', 'volume inodes', PVC),
    metric('gauge', 'kubelet_volume_stats_inodes_used', 'volume inodes used', PVC),
    metric('gauge', 'kubelet_container_log_filesystem_used_bytes', 'bytes of a container\'s log files on the node (from the runtime\'s stats: works on containerd)', ['uid', 'namespace', 'pod', 'container']),
    metric('histogram', 'kubelet_pleg_relist_duration_seconds', 'time to relist pods from the runtime', []),
    metric('counter', 'kubelet_runtime_operations_errors_total', 'failed container runtime calls', ['operation_type']),
  ],
};

/** The kubelet's cAdvisor, /metrics/cadvisor (job kubelet-cadvisor); network series are the pod sandbox's. */
const KUBELET_CADVISOR: MetricSourceSpec = {
  source: 'kubelet-cadvisor',
  enabled: (cfg) => cfg.kubernetes.kubelet.cadvisor,
  targetLabels: ['node'],
  metrics: [
    metric('counter', 'container_cpu_usage_seconds_total', 'CPU time consumed', [...CONTAINER, 'cpu']),
    metric('counter', 'container_cpu_cfs_periods_total', 'CFS enforcement periods', CONTAINER),
    metric('counter', 'container_cpu_cfs_throttled_periods_total', 'CFS periods the container was throttled in', CONTAINER),
    metric('gauge', 'container_spec_cpu_quota', 'CPU quota (limit) in microseconds per period', CONTAINER),
    metric('gauge', 'container_spec_cpu_period', 'CFS period in microseconds', CONTAINER),
    metric('gauge', 'container_memory_working_set_bytes', 'working set: what the OOM killer looks at', CONTAINER),
    metric('gauge', 'container_spec_memory_limit_bytes', 'memory limit (0 when unlimited)', CONTAINER),
    metric('counter', 'container_network_receive_bytes_total', 'bytes received', [...CONTAINER, 'interface']),
    metric('counter', 'container_network_transmit_bytes_total', 'bytes sent', [...CONTAINER, 'interface']),
    metric('counter', 'container_fs_reads_bytes_total', 'bytes read from disk', [...CONTAINER, 'device']),
    metric('counter', 'container_fs_writes_bytes_total', 'bytes written to disk', [...CONTAINER, 'device']),
    metric('gauge', 'container_start_time_seconds', 'container start time (changes on restart)', CONTAINER),
    metric('counter', 'container_oom_events_total', 'OOM kills (the kubelet reads the kernel log itself)', CONTAINER),
  ],
};

/** The kubelet's probe results, /metrics/probes (job kubelet-probes). */
const KUBELET_PROBES: MetricSourceSpec = {
  source: 'kubelet-probes',
  enabled: (cfg) => cfg.kubernetes.kubelet.probes,
  targetLabels: ['node'],
  metrics: [
    metric('counter', 'prober_probe_total', 'probe results by type and result (successful, failed, unknown)', ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid']),
  ],
};

/** The API server (job apiserver). Its latency histogram is not kept (thousands of series): sum and count only. */
const API_SERVER: MetricSourceSpec = {
  source: 'apiserver',
  enabled: (cfg) => cfg.kubernetes.apiServer.enabled,
  targetLabels: [],
  metrics: [
    metric('counter', 'apiserver_request_total', 'requests by verb, resource and HTTP code', [...API_REQUEST, 'code']),
    metric('counter', 'apiserver_request_duration_seconds_sum', 'total request time (the histogram\'s sum)', API_REQUEST),
    metric('counter', 'apiserver_request_duration_seconds_count', 'requests timed (the histogram\'s count)', API_REQUEST),
    metric('gauge', 'apiserver_current_inflight_requests', 'requests in flight, readOnly and mutating', ['request_kind']),
    metric('counter', 'process_cpu_seconds_total', 'CPU time of the API server process (every Go component has it; read with job apiserver)', []),
    metric('gauge', 'process_resident_memory_bytes', 'resident memory of the API server process (read with job apiserver)', []),
  ],
};

/** CoreDNS (job coredns), found as pods: the job adds the pod's labels. */
const COREDNS: MetricSourceSpec = {
  source: 'coredns',
  enabled: (cfg) => cfg.kubernetes.coredns.enabled,
  targetLabels: ['namespace', 'pod', 'container', 'node', 'service'],
  metrics: [
    metric('counter', 'coredns_dns_requests_total', 'queries by zone, protocol and type', [...DNS_SERVER, 'proto', 'family', 'type']),
    metric('counter', 'coredns_dns_responses_total', 'responses by rcode', [...DNS_SERVER, 'rcode', 'plugin']),
    metric('histogram', 'coredns_dns_request_duration_seconds', 'time to answer a query', DNS_SERVER),
    metric('counter', 'coredns_cache_requests_total', 'queries through the cache', ['server', 'zones', 'view']),
    metric('counter', 'coredns_cache_hits_total', 'cache hits by type', ['server', 'type', 'zones', 'view']),
  ],
};

export const CLUSTER_METRIC_SOURCES = { kubelet: KUBELET, kubeletCadvisor: KUBELET_CADVISOR, kubeletProbes: KUBELET_PROBES, apiServer: API_SERVER, coredns: COREDNS } as const;
