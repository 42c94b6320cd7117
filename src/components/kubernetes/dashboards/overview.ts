/**
 * Cluster overview: how many nodes and pods are healthy, CPU and memory used against requested and
 * allocatable, usage per namespace, and the pods and containers that are failing.
 */
import { baseDashboard, dashboard, finalize, prom, timeseriesPanel } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_RECORDED } from '../recorded-series';
import {
  CLUSTER_DASHBOARD_UIDS, DASHED, type ClusterDashboard, clusterLinks, clusterVariable, hasAll, instantTable, sel, statPanel,
  withQueries,
} from './common';

export function clusterOverviewDashboard(sources: ReadonlySet<MetricSource>, rendered: readonly ClusterDashboard[]): dashboard.Dashboard {
  const r = CLUSTER_RECORDED;
  const ksm = hasAll(sources, 'kube-state-metrics');
  const b = baseDashboard('Cluster overview', CLUSTER_DASHBOARD_UIDS.overview,
    'The whole cluster at a glance: nodes and pods, capacity against requests, usage per namespace, failing pods. '
    + 'Objects from kube-state-metrics, usage from the kubelets\' cAdvisor, node utilisation from node-exporter.')
    .withVariable(clusterVariable());
  clusterLinks(b, 'overview', rendered);

  if (ksm) {
    b.withRow(new dashboard.RowBuilder('Cluster'));
    b.withPanel(statPanel('Nodes', 'Nodes reporting Ready, out of all nodes.', 'short')
      .withTarget(prom(`sum(kube_node_status_condition${sel('condition="Ready"', 'status="true"')})`, 'ready'))
      .withTarget(prom(`count(kube_node_info${sel()})`, 'nodes')));
    b.withPanel(statPanel('Pods', 'Pods by phase right now.', 'short')
      .withTarget(prom(`sum(kube_pod_status_phase${sel('phase="Running"')})`, 'running'))
      .withTarget(prom(`sum(kube_pod_status_phase${sel('phase="Pending"')})`, 'pending'))
      .withTarget(prom(`sum(kube_pod_status_phase${sel('phase="Failed"')})`, 'failed')));
    b.withPanel(statPanel('Workloads short of replicas', 'Deployments and StatefulSets with fewer available (ready) replicas than desired; DaemonSets missing on a node.', 'short')
      .withTarget(prom(`count(kube_deployment_spec_replicas${sel()} > kube_deployment_status_replicas_available${sel()}) or vector(0)`, 'deployments'))
      .withTarget(prom(`count(kube_statefulset_replicas${sel()} > kube_statefulset_status_replicas_ready${sel()}) or vector(0)`, 'statefulsets'))
      .withTarget(prom(`count(kube_daemonset_status_desired_number_scheduled${sel()} > kube_daemonset_status_number_available${sel()}) or vector(0)`, 'daemonsets')));
    b.withPanel(statPanel('Containers crash looping', 'Containers in CrashLoopBackOff at any time in the range.', 'short')
      .withTarget(prom(`count(max_over_time(kube_pod_container_status_waiting_reason${sel('reason="CrashLoopBackOff"')}[$__range]) == 1) or vector(0)`, 'crash looping')));
  }

  b.withRow(new dashboard.RowBuilder('Capacity'));
  const cpu = timeseriesPanel('CPU: used, requested, allocatable', 'Cores used by containers, requested by pending and running pods, and allocatable on the nodes (dashed).', 'short', 12);
  const cpuN = withQueries(cpu, sources, [
    { needs: ['kubelet-cadvisor'], expr: `sum(${r.containerCpu}${sel()})`, legend: 'used' },
    { needs: ['kube-state-metrics'], expr: `sum(${r.namespaceCpuRequests}${sel()})`, legend: 'requested' },
    { needs: ['kube-state-metrics'], expr: `sum(kube_node_status_allocatable${sel('resource="cpu"')})`, legend: 'allocatable' },
  ]);
  if (cpuN > 0) b.withPanel(cpu.overrideByName('allocatable', DASHED).min(0));
  const mem = timeseriesPanel('Memory: working set, requested, allocatable', 'Working set of the containers, memory requested by pending and running pods, and allocatable on the nodes (dashed).', 'bytes', 12);
  const memN = withQueries(mem, sources, [
    { needs: ['kubelet-cadvisor'], expr: `sum(${r.containerMemory}${sel()})`, legend: 'working set' },
    { needs: ['kube-state-metrics'], expr: `sum(${r.namespaceMemoryRequests}${sel()})`, legend: 'requested' },
    { needs: ['kube-state-metrics'], expr: `sum(kube_node_status_allocatable${sel('resource="memory"')})`, legend: 'allocatable' },
  ]);
  if (memN > 0) b.withPanel(mem.overrideByName('allocatable', DASHED).min(0));
  if (hasAll(sources, 'node-exporter')) {
    b.withPanel(timeseriesPanel('Node CPU utilisation', 'Share of CPU time not idle, per node (node-exporter).', 'percentunit', 12)
      .withTarget(prom(`${r.nodeCpuUtilisation}${sel()}`, '{{node}}')).min(0).max(1));
    b.withPanel(timeseriesPanel('Node memory utilisation', 'Share of memory not available, per node (node-exporter).', 'percentunit', 12)
      .withTarget(prom(`${r.nodeMemoryUtilisation}${sel()}`, '{{node}}')).min(0).max(1));
  }

  if (ksm || hasAll(sources, 'kubelet-cadvisor')) b.withRow(new dashboard.RowBuilder('Namespaces'));
  if (hasAll(sources, 'kubelet-cadvisor')) {
    b.withPanel(timeseriesPanel('CPU by namespace', 'Cores used by the containers of each namespace.', 'short', 12)
      .withTarget(prom(`sum by (namespace) (${r.containerCpu}${sel()})`, '{{namespace}}')).min(0));
    b.withPanel(timeseriesPanel('Memory by namespace', 'Working set of the containers of each namespace.', 'bytes', 12)
      .withTarget(prom(`sum by (namespace) (${r.containerMemory}${sel()})`, '{{namespace}}')).min(0));
  }
  if (ksm) {
    b.withPanel(instantTable('Requests by namespace', 'CPU (cores) and memory requested by the pending and running pods of each namespace.',
      { 'Value #A': 'CPU requested', 'Value #B': 'memory requested' }, 8, 8)
      .withTarget(prom(`${r.namespaceCpuRequests}${sel()}`, '', { instant: true }))
      .withTarget(prom(`${r.namespaceMemoryRequests}${sel()}`, '', { instant: true }))
      .overrideByName('memory requested', [{ id: 'unit', value: 'bytes' }]));
    b.withPanel(instantTable('Pods not running', 'Pods pending, failed or unknown right now.', { Value: 'pods' }, 8, 8)
      .withTarget(prom(`sum by (namespace, pod, phase) (kube_pod_status_phase${sel('phase=~"Pending|Failed|Unknown"')}) > 0`, '', { instant: true })));
    b.withPanel(instantTable('Containers waiting', 'Containers that are not running, and why (CrashLoopBackOff, ImagePullBackOff, ...).', { Value: 'containers' }, 8, 8)
      .withTarget(prom(`sum by (namespace, pod, container, reason) (kube_pod_container_status_waiting_reason${sel()}) > 0`, '', { instant: true })));
  }
  return finalize(b.build());
}
