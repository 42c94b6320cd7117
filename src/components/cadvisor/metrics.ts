/** The cAdvisor DaemonSet's metrics that dashboards and rules read (job cadvisor). */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

/**
 * cAdvisor 0.60.5 reports filesystem usage for the node's root cgroup (`id="/"`: the node's filesystems)
 * and never for a containerd container (its containerd handler sets no filesystem), whatever its privileges.
 */
const ROOT_CGROUP = 'id="/"';

/** Labels of the container series after the job's relabelling (the CRI `container_label_*` and `name` labels are dropped). */
const CONTAINER = ['namespace', 'pod', 'container', 'id', 'image'];

/** One target per node: the job adds `node`. */
export const CADVISOR_METRICS: MetricSourceSpec = {
  source: 'cadvisor',
  targetLabels: ['node'],
  metrics: [
    metric('counter', 'container_cpu_usage_seconds_total', 'CPU time consumed', [...CONTAINER, 'cpu']),
    metric('counter', 'container_cpu_cfs_periods_total', 'CFS enforcement periods', [...CONTAINER]),
    metric('counter', 'container_cpu_cfs_throttled_periods_total', 'CFS periods the container was throttled in', [...CONTAINER]),
    metric('gauge', 'container_spec_cpu_quota', 'CPU quota (limit) in microseconds per period', [...CONTAINER]),
    metric('gauge', 'container_spec_cpu_period', 'CFS period in microseconds', [...CONTAINER]),
    metric('gauge', 'container_memory_working_set_bytes', 'working set: what the OOM killer looks at', [...CONTAINER]),
    metric('gauge', 'container_spec_memory_limit_bytes', 'memory limit (0 when unlimited)', [...CONTAINER]),
    metric('counter', 'container_network_receive_bytes_total', 'bytes received', [...CONTAINER, 'interface']),
    metric('counter', 'container_network_transmit_bytes_total', 'bytes sent', [...CONTAINER, 'interface']),
    metric('counter', 'container_fs_reads_bytes_total', 'bytes read from disk', [...CONTAINER, 'device']),
    metric('counter', 'container_fs_writes_bytes_total', 'bytes written to disk', [...CONTAINER, 'device']),
    metric('gauge', 'container_fs_usage_bytes', 'bytes used on each filesystem of the node (root cgroup only)', ['id', 'node', 'device'], ROOT_CGROUP),
    metric('gauge', 'container_fs_limit_bytes', 'size of each filesystem of the node (root cgroup only)', ['id', 'node', 'device'], ROOT_CGROUP),
    metric('gauge', 'container_start_time_seconds', 'container start time (changes on restart)', [...CONTAINER]),
    metric('counter', 'container_oom_events_total', 'OOM kills (needs cadvisor.privileged for /dev/kmsg)', [...CONTAINER]),
  ],
};
