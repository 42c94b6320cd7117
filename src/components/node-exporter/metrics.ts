/**
 * node-exporter's metrics that dashboards and rules read (job node-exporter), named and labelled as
 * node_exporter v1.12.1 defines them (collector/*.go).
 */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

const NODE_FS = ['device', 'mountpoint', 'fstype', 'device_error'];

/** One target per node: the job adds `node` (and `instance` = the node name). */
export const NODE_EXPORTER_METRICS: MetricSourceSpec = {
  source: 'node-exporter',
  targetLabels: ['node'],
  metrics: [
    metric('counter', 'node_cpu_seconds_total', 'CPU time per CPU and mode (cpu collector)', ['cpu', 'mode']),
    metric('gauge', 'node_load1', '1m load average (loadavg collector)', []),
    metric('gauge', 'node_load5', '5m load average', []),
    metric('gauge', 'node_load15', '15m load average', []),
    metric('gauge', 'node_memory_MemTotal_bytes', 'total memory (meminfo collector)', []),
    metric('gauge', 'node_memory_MemAvailable_bytes', 'memory available without swapping', []),
    metric('gauge', 'node_filesystem_avail_bytes', 'bytes available to non-root users (filesystem collector)', NODE_FS),
    metric('gauge', 'node_filesystem_size_bytes', 'filesystem size', NODE_FS),
    metric('gauge', 'node_filesystem_readonly', '1 when mounted read-only', NODE_FS),
    metric('counter', 'node_disk_read_bytes_total', 'bytes read (diskstats collector)', ['device']),
    metric('counter', 'node_disk_written_bytes_total', 'bytes written', ['device']),
    metric('counter', 'node_disk_io_time_seconds_total', 'seconds spent doing I/O', ['device']),
    metric('counter', 'node_network_receive_bytes_total', 'bytes received (netdev collector)', ['device']),
    metric('counter', 'node_network_transmit_bytes_total', 'bytes sent', ['device']),
    metric('counter', 'node_pressure_cpu_waiting_seconds_total', 'time some task waited for CPU (pressure collector, PSI)', []),
    metric('counter', 'node_pressure_memory_waiting_seconds_total', 'time some task waited for memory', []),
    metric('counter', 'node_pressure_io_waiting_seconds_total', 'time some task waited for I/O', []),
    metric('counter', 'node_vmstat_oom_kill', 'OOM kills on the node (vmstat collector, field oom_kill)', []),
    metric('gauge', 'node_uname_info', 'kernel and host name (uname collector)', ['sysname', 'release', 'version', 'machine', 'nodename', 'domainname']),
    metric('gauge', 'node_boot_time_seconds', 'boot time (stat collector)', []),
  ],
};
