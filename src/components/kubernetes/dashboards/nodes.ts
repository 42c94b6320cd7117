/**
 * Nodes (node-exporter, one target per node): CPU, load, memory and pressure, OOM kills, filesystems,
 * disks and network; the kubelet's running pods against the node's pod capacity; versions from
 * kube-state-metrics.
 */
import { baseDashboard, dashboard, finalize, prom, promVariable, timeseriesPanel } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_DASHBOARD_UIDS, DASHED, type ClusterDashboard, clusterLinks, clusterVariable, hasAll, instantTable, sel } from './common';

export function nodesDashboard(sources: ReadonlySet<MetricSource>, rendered: readonly ClusterDashboard[]): dashboard.Dashboard {
  const node = 'node=~"$node"';
  const n = (...m: string[]) => sel(node, ...m);
  const fs = n('fstype!=""');
  const rate = (metric: string, ...m: string[]) => `rate(${metric}${n(...m)}[$__rate_interval])`;
  const b = baseDashboard('Nodes', CLUSTER_DASHBOARD_UIDS.nodes,
    'Each node\'s CPU, memory, pressure, filesystems, disks and network (node-exporter), and its pods (kubelet).')
    .withVariable(clusterVariable())
    .withVariable(promVariable('node', 'Node', `label_values(node_uname_info${sel()}, node)`, { includeAll: true, multi: true }));
  clusterLinks(b, 'nodes', rendered);

  b.withRow(new dashboard.RowBuilder('CPU and memory'));
  b.withPanel(timeseriesPanel('CPU utilisation', 'Share of CPU time not idle.', 'percentunit', 8)
    .withTarget(prom(`1 - avg by (node) (${rate('node_cpu_seconds_total', 'mode="idle"')})`, '{{node}}')).min(0).max(1));
  b.withPanel(timeseriesPanel('CPU by mode', 'Cores busy per mode (user, system, iowait, steal, ...).', 'short', 8)
    .withTarget(prom(`sum by (node, mode) (${rate('node_cpu_seconds_total', 'mode!="idle"')})`, '{{node}} {{mode}}')).min(0));
  b.withPanel(timeseriesPanel('Load average against CPUs', '1-minute load average; dashed: the number of CPUs.', 'short', 8)
    .withTarget(prom(`node_load1${n()}`, '{{node}} load1'))
    .withTarget(prom(`node_load15${n()}`, '{{node}} load15'))
    .withTarget(prom(`count by (node) (node_cpu_seconds_total${n('mode="idle"')})`, 'CPUs {{node}}'))
    .overrideByRegexp('^CPUs .*', DASHED).min(0));
  b.withPanel(timeseriesPanel('Memory used against total', 'Total minus available memory; dashed: the node\'s memory.', 'bytes', 8)
    .withTarget(prom(`node_memory_MemTotal_bytes${n()} - node_memory_MemAvailable_bytes${n()}`, '{{node}} used'))
    .withTarget(prom(`node_memory_MemTotal_bytes${n()}`, 'total {{node}}'))
    .overrideByRegexp('^total .*', DASHED).min(0));
  b.withPanel(timeseriesPanel('Pressure (share of time some task waited)', 'Pressure stall information for CPU, memory and I/O: above a few percent, work waits for that resource.', 'percentunit', 8)
    .withTarget(prom(`${rate('node_pressure_cpu_waiting_seconds_total')}`, '{{node}} cpu'))
    .withTarget(prom(`${rate('node_pressure_memory_waiting_seconds_total')}`, '{{node}} memory'))
    .withTarget(prom(`${rate('node_pressure_io_waiting_seconds_total')}`, '{{node}} io')).min(0));
  b.withPanel(timeseriesPanel('OOM kills', 'Processes the kernel killed for lack of memory, per node.', 'short', 8)
    .withTarget(prom(`increase(node_vmstat_oom_kill${n()}[$__rate_interval])`, '{{node}}')).min(0));

  b.withRow(new dashboard.RowBuilder('Filesystems and disks'));
  b.withPanel(timeseriesPanel('Filesystem space used', 'Share of each filesystem used (the kubelet evicts pods under disk pressure).', 'percentunit', 12)
    .withTarget(prom(`1 - node_filesystem_avail_bytes${fs} / node_filesystem_size_bytes${fs}`, '{{node}} {{mountpoint}}')).min(0).max(1));
  b.withPanel(instantTable('Filesystems', 'Size and space available now.', { 'Value #A': 'size', 'Value #B': 'available' }, 12, 8)
    .withTarget(prom(`max by (node, mountpoint, fstype) (node_filesystem_size_bytes${fs})`, '', { instant: true }))
    .withTarget(prom(`max by (node, mountpoint, fstype) (node_filesystem_avail_bytes${fs})`, '', { instant: true }))
    .unit('bytes'));
  b.withPanel(timeseriesPanel('Disk throughput', 'Bytes/s read and written per device.', 'Bps', 12)
    .withTarget(prom(`sum by (node, device) (${rate('node_disk_read_bytes_total')})`, '{{node}} {{device}} read'))
    .withTarget(prom(`sum by (node, device) (${rate('node_disk_written_bytes_total')})`, '{{node}} {{device}} write')).min(0));
  b.withPanel(timeseriesPanel('Disk busy', 'Share of time each device was doing I/O.', 'percentunit', 12)
    .withTarget(prom(`sum by (node, device) (${rate('node_disk_io_time_seconds_total')})`, '{{node}} {{device}}')).min(0));

  b.withRow(new dashboard.RowBuilder('Network'));
  b.withPanel(timeseriesPanel('Network receive', 'Bytes/s received per device (pod interfaces excluded: see Workloads).', 'Bps', 12)
    .withTarget(prom(`sum by (node, device) (${rate('node_network_receive_bytes_total')})`, '{{node}} {{device}}')).min(0));
  b.withPanel(timeseriesPanel('Network transmit', 'Bytes/s sent per device.', 'Bps', 12)
    .withTarget(prom(`sum by (node, device) (${rate('node_network_transmit_bytes_total')})`, '{{node}} {{device}}')).min(0));

  if (hasAll(sources, 'kubelet') || hasAll(sources, 'kube-state-metrics')) b.withRow(new dashboard.RowBuilder('Kubernetes'));
  if (hasAll(sources, 'kubelet')) {
    const pods = timeseriesPanel('Running pods', 'Pods the kubelet runs; dashed: the node\'s pod capacity.', 'short', 12)
      .withTarget(prom(`kubelet_running_pods${n()}`, '{{node}}'));
    if (hasAll(sources, 'kube-state-metrics')) pods.withTarget(prom(`kube_node_status_allocatable${n('resource="pods"')}`, 'capacity {{node}}'));
    b.withPanel(pods.overrideByRegexp('^capacity .*', DASHED).min(0));
  }
  if (hasAll(sources, 'kube-state-metrics')) {
    b.withPanel(instantTable('Node versions and state', 'kubelet, container runtime and kernel of each node; 1 under "unschedulable" when cordoned.',
      { 'Value #B': 'unschedulable' }, 12, 8)
      .withTarget(prom(`max by (node, kubelet_version, container_runtime_version, kernel_version, os_image) (kube_node_info${n()})`, '', { instant: true }))
      .withTarget(prom(`max by (node) (kube_node_spec_unschedulable${n()})`, '', { instant: true }))
      .withTransformation({ id: 'organize', options: { excludeByName: { 'Value #A': true } } }));
  }
  return finalize(b.build());
}
