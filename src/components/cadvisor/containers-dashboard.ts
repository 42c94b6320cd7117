/**
 * Containers (cAdvisor): CPU, memory working set against the limit, network, disk I/O, node disk usage,
 * restarts and OOM kills, by namespace / pod / container. The Services dashboard links here with the pods of a service.
 *
 * It reads one cAdvisor: the DaemonSet when it runs, else the one built into every kubelet. Both export the
 * same metric names, so the dashboard belongs with cAdvisor's metrics, here, and is rendered whichever runs.
 */
import {
  DASHBOARD_FILES, DASHBOARD_UIDS, baseDashboard, dashboard, dashboardLink, dashboardRenderer, finalize, prom, promVariable, stackDashboardsLink, table, timeseriesPanel,
} from '../../lib/dashboards';
import type { StackConfig } from '../../config/types';

export interface ContainersDashboardInput {
  /** cAdvisor runs privileged and reports OOM kills (`container_oom_events_total`, read from /dev/kmsg). */
  readonly oomEvents: boolean;
  /**
   * The one cAdvisor the panels read: the DaemonSet (`cadvisor`) or the kubelets' (`kubelet-cadvisor`); both
   * export the same names, so selecting one keeps a container from being counted twice. @default 'cadvisor'
   */
  readonly job?: 'cadvisor' | 'kubelet-cadvisor';
  /**
   * The kubelets' /metrics are scraped: "Log files on disk" (kubelet_container_log_filesystem_used_bytes)
   * replaces "Filesystem usage", which cAdvisor leaves empty on containerd. @default false
   */
  readonly logUsage?: boolean;
}

export function containersDashboard(input: ContainersDashboardInput): dashboard.Dashboard {
  // `container!=""` keeps container cgroups only (the node's root cgroup has no container label).
  const job = `job="${input.job ?? 'cadvisor'}"`;
  const sel = `${job}, namespace=~"$namespace", pod=~"$pod", container=~"$container", container!=""`;
  const podSel = `${job}, namespace=~"$namespace", pod=~"$pod"`;
  const by = 'namespace, pod, container';
  const legend = '{{pod}} / {{container}}';

  const b = baseDashboard('Containers', DASHBOARD_UIDS.containers,
    `Resource use of every container, from cAdvisor (job ${input.job ?? 'cadvisor'}). Restarts and OOM kills as far as cAdvisor sees them.`)
    .withVariable(promVariable('namespace', 'Namespace', `label_values(container_cpu_usage_seconds_total{${job}, container!=""}, namespace)`, { includeAll: true }))
    .withVariable(promVariable('pod', 'Pod', `label_values(container_cpu_usage_seconds_total{${job}, namespace=~"$namespace", container!=""}, pod)`, { includeAll: true, multi: true }))
    .withVariable(promVariable('container', 'Container', `label_values(container_cpu_usage_seconds_total{${job}, namespace=~"$namespace", pod=~"$pod", container!=""}, container)`, { includeAll: true, multi: true }))
    .link(dashboardLink('Services (RED)', DASHBOARD_UIDS.services, 'Requests, errors, latency, logs and traces per service'))
    .link(dashboardLink('Stack health', DASHBOARD_UIDS.stackHealth, 'Is the observability stack itself healthy?'))
    .link(stackDashboardsLink());

  b.withRow(new dashboard.RowBuilder('CPU and memory'));
  b.withPanel(timeseriesPanel('CPU usage (cores)', 'CPU cores used; dashed series are the limits (quota / period).', 'short', 12)
    .withTarget(prom(`sum by (${by}) (rate(container_cpu_usage_seconds_total{${sel}}[$__rate_interval]))`, legend))
    .withTarget(prom(`max by (${by}) (container_spec_cpu_quota{${sel}} > 0) / max by (${by}) (container_spec_cpu_period{${sel}})`, `limit ${legend}`))
    .overrideByRegexp('^limit .*', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.fillOpacity', value: 0 }]));
  b.withPanel(timeseriesPanel('CPU throttling', 'Share of CFS periods in which the container was throttled: a CPU limit that is too low.', 'percentunit', 12)
    .withTarget(prom(`sum by (${by}) (rate(container_cpu_cfs_throttled_periods_total{${sel}}[$__rate_interval])) / sum by (${by}) (rate(container_cpu_cfs_periods_total{${sel}}[$__rate_interval]))`, legend))
    .min(0));
  b.withPanel(timeseriesPanel('Memory working set vs limit', 'Working set (what the OOM killer acts on); dashed series are the limits.', 'bytes', 12)
    .withTarget(prom(`sum by (${by}) (container_memory_working_set_bytes{${sel}})`, legend))
    .withTarget(prom(`max by (${by}) (container_spec_memory_limit_bytes{${sel}} > 0)`, `limit ${legend}`))
    .overrideByRegexp('^limit .*', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.fillOpacity', value: 0 }]));
  b.withPanel(timeseriesPanel('Memory use of limit', 'Working set as a share of the memory limit; near 100% the container is OOM-killed.', 'percentunit', 12)
    .withTarget(prom(`sum by (${by}) (container_memory_working_set_bytes{${sel}}) / max by (${by}) (container_spec_memory_limit_bytes{${sel}} > 0)`, legend))
    .min(0));

  b.withRow(new dashboard.RowBuilder('Network and filesystem'));
  // Containers of a pod share one network namespace: max per interface counts it once, whichever
  // container cgroup reports it.
  b.withPanel(timeseriesPanel('Network receive', 'Bytes/s received per pod.', 'Bps', 12)
    .withTarget(prom(`sum by (namespace, pod) (max by (namespace, pod, interface) (rate(container_network_receive_bytes_total{${podSel}}[$__rate_interval])))`, '{{pod}}')));
  b.withPanel(timeseriesPanel('Network transmit', 'Bytes/s sent per pod.', 'Bps', 12)
    .withTarget(prom(`sum by (namespace, pod) (max by (namespace, pod, interface) (rate(container_network_transmit_bytes_total{${podSel}}[$__rate_interval])))`, '{{pod}}')));
  b.withPanel(timeseriesPanel('Filesystem reads and writes', 'Bytes/s read and written by each container.', 'Bps', 12)
    .withTarget(prom(`sum by (${by}) (rate(container_fs_reads_bytes_total{${sel}}[$__rate_interval]))`, `read ${legend}`))
    .withTarget(prom(`sum by (${by}) (rate(container_fs_writes_bytes_total{${sel}}[$__rate_interval]))`, `write ${legend}`)));
  // cAdvisor reports no filesystem usage for containerd containers (its containerd handler has none), only
  // for the node's root cgroup: so the disks of the nodes, where the containers' writable layers live.
  const nodeDisk = `${job}, id="/", device=~"/dev/.+"`;
  b.withPanel(timeseriesPanel('Node disk usage',
    'Share of each node disk in use (cAdvisor, root cgroup). Containers\' writable layers and emptyDirs are part of it: on containerd, cAdvisor reports no usage per container.',
    'percentunit', 12)
    .withTarget(prom(`max by (node, device) (container_fs_usage_bytes{${nodeDisk}}) / max by (node, device) (container_fs_limit_bytes{${nodeDisk}} > 0)`, '{{node}} {{device}}'))
    .min(0)
    .max(1));
  // cAdvisor reports no filesystem usage for containerd's containers; the kubelet's log file figures come
  // from the runtime's own stats and exist on containerd too.
  if (input.logUsage) {
    b.withPanel(timeseriesPanel('Log files on disk', 'Bytes of each container\'s log files on its node, from the kubelet (writable-layer usage is not reported on containerd).', 'bytes', 12)
      .withTarget(prom(`sum by (${by}) (kubelet_container_log_filesystem_used_bytes{job="kubelet", namespace=~"$namespace", pod=~"$pod", container=~"$container"})`, legend)));
  }

  b.withRow(new dashboard.RowBuilder('Restarts'));
  const restarts = new table.PanelBuilder()
    .title(input.oomEvents ? 'Restarts and OOM kills in the time range' : 'Restarts in the time range')
    .description('A restart gives the container a new cgroup, so cAdvisor reports a new series: restarts = start times seen - 1. '
      + (input.oomEvents ? 'OOM kills come from cAdvisor reading /dev/kmsg.' : 'OOM kills need cadvisor.privileged (cAdvisor reads /dev/kmsg); it is off here.'))
    .withTarget(prom(`count by (${by}) (max_over_time(container_start_time_seconds{${sel}}[$__range])) - 1`, '', { instant: true }));
  // Only query what cAdvisor exports: without the oom_event group the series does not exist.
  if (input.oomEvents) restarts.withTarget(prom(`sum by (${by}) (increase(container_oom_events_total{${sel}}[$__range]))`, '', { instant: true }));
  b.withPanel(restarts
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { 'Value #A': 'restarts', 'Value #B': 'OOM kills' } } })
    .span(24)
    .height(8));

  return finalize(b.build());
}

/** The dashboard's input from the config. */
export function containersDashboardInput(cfg: StackConfig): ContainersDashboardInput {
  // The DaemonSet when it runs, else the kubelets' cAdvisor.
  const job = !cfg.cadvisor.enabled && cfg.kubernetes.kubelet.cadvisor ? 'kubelet-cadvisor' as const : 'cadvisor' as const;
  return {
    // The kubelet's cAdvisor reports OOM kills itself; the DaemonSet's only when privileged.
    oomEvents: job === 'kubelet-cadvisor' || (cfg.cadvisor.enabled && cfg.cadvisor.privileged),
    job,
    logUsage: cfg.kubernetes.kubelet.metrics,
  };
}

/** containers.json (built once per distinct input). */
export const renderContainersDashboard = dashboardRenderer((input: ContainersDashboardInput) => ({ [DASHBOARD_FILES.containers]: containersDashboard(input) }));
