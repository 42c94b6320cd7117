/**
 * Workloads, namespace -> workload -> pod: replicas of Deployments, StatefulSets and DaemonSets, and for
 * the pods of the chosen workloads their CPU and memory against requests and limits, restarts, network,
 * probe failures, log files and the service each belongs to. The workload of a pod comes from the
 * recorded `namespace_workload_pod:kube_pod_owner:relabel` (pods without a controller are not listed).
 */
import { baseDashboard, dashboard, finalize, prom, promVariable, timeseriesPanel } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_RECORDED } from '../recorded-series';
import { CLUSTER_DASHBOARD_UIDS, DASHED, JOBS, type ClusterDashboard, clusterLinks, clusterVariable, hasAll, instantTable, sel } from './common';

export function workloadsDashboard(sources: ReadonlySet<MetricSource>, rendered: readonly ClusterDashboard[]): dashboard.Dashboard {
  const r = CLUSTER_RECORDED;
  const ns = 'namespace=~"$namespace"';
  const pods = sel(ns, 'pod=~"$pod"');
  /** The pods of the chosen workloads, as a filter to multiply a per-pod expression with. */
  const ofWorkload = `max by (namespace, pod) (${r.workloadPod}${sel(ns, 'workload=~"$workload"', 'pod=~"$pod"')})`;
  const inWorkload = (expr: string) => `${expr} * on (namespace, pod) group_left () ${ofWorkload}`;
  const perPod = (agg: string, expr: string) => inWorkload(`${agg} by (namespace, pod) (${expr})`);

  const b = baseDashboard('Workloads', CLUSTER_DASHBOARD_UIDS.workloads,
    'Namespace -> workload -> pod. Replicas and pod state from kube-state-metrics; usage from the kubelets\' cAdvisor; probe results and '
    + 'log files from the kubelets.')
    .withVariable(clusterVariable())
    .withVariable(promVariable('namespace', 'Namespace', `label_values(kube_pod_info${sel()}, namespace)`, { includeAll: true }))
    .withVariable(promVariable('workload', 'Workload', `label_values(${r.workloadPod}${sel(ns)}, workload)`, { includeAll: true, multi: true }))
    .withVariable(promVariable('pod', 'Pod', `label_values(${r.workloadPod}${sel(ns, 'workload=~"$workload"')}, pod)`, { includeAll: true, multi: true }));
  clusterLinks(b, 'workloads', rendered);

  b.withRow(new dashboard.RowBuilder('Replicas'));
  const replicas = (title: string, kind: string, label: string, desired: string, ready: string) => instantTable(title,
    `Desired and ${kind === 'daemonset' ? 'available' : 'ready'} replicas of each ${title.slice(0, -1)} of the namespace; a difference that lasts is an alert.`,
    { 'Value #A': 'desired', 'Value #B': kind === 'daemonset' ? 'available' : 'ready' }, 8, 8)
    .withTarget(prom(`max by (namespace, ${label}) (${desired}${sel(ns, `${label}=~"$workload"`)})`, '', { instant: true }))
    .withTarget(prom(`max by (namespace, ${label}) (${ready}${sel(ns, `${label}=~"$workload"`)})`, '', { instant: true }));
  b.withPanel(replicas('Deployments', 'deployment', 'deployment', 'kube_deployment_spec_replicas', 'kube_deployment_status_replicas_available'));
  b.withPanel(replicas('StatefulSets', 'statefulset', 'statefulset', 'kube_statefulset_replicas', 'kube_statefulset_status_replicas_ready'));
  b.withPanel(replicas('DaemonSets', 'daemonset', 'daemonset', 'kube_daemonset_status_desired_number_scheduled', 'kube_daemonset_status_number_available'));

  b.withRow(new dashboard.RowBuilder('Pods: resources'));
  if (hasAll(sources, 'kubelet-cadvisor')) {
    b.withPanel(timeseriesPanel('CPU by pod', 'Cores used by each pod\'s containers; dashed: what the pod requests.', 'short', 12)
      .withTarget(prom(perPod('sum', `${r.containerCpu}${pods}`), '{{pod}}'))
      .withTarget(prom(perPod('sum', `kube_pod_container_resource_requests${sel(ns, 'pod=~"$pod"', 'resource="cpu"')}`), 'requested {{pod}}'))
      .overrideByRegexp('^requested .*', DASHED).min(0));
    b.withPanel(timeseriesPanel('Memory by pod', 'Working set of each pod\'s containers; dashed: the pod\'s memory limit.', 'bytes', 12)
      .withTarget(prom(perPod('sum', `${r.containerMemory}${pods}`), '{{pod}}'))
      .withTarget(prom(perPod('sum', `kube_pod_container_resource_limits${sel(ns, 'pod=~"$pod"', 'resource="memory"')}`), 'limit {{pod}}'))
      .overrideByRegexp('^limit .*', DASHED).min(0));
    const net = (dir: string) => perPod('sum', `max by (namespace, pod, interface) (rate(container_network_${dir}_bytes_total${sel(`job="${JOBS.kubeletCadvisor}"`, ns, 'pod=~"$pod"')}[$__rate_interval]))`);
    b.withPanel(timeseriesPanel('Network receive by pod', 'Bytes/s received by each pod (its sandbox\'s interfaces).', 'Bps', 12)
      .withTarget(prom(net('receive'), '{{pod}}')).min(0));
    b.withPanel(timeseriesPanel('Network transmit by pod', 'Bytes/s sent by each pod.', 'Bps', 12)
      .withTarget(prom(net('transmit'), '{{pod}}')).min(0));
  }

  b.withRow(new dashboard.RowBuilder('Pods: health'));
  b.withPanel(timeseriesPanel('Container restarts', 'Restarts per pod in each interval.', 'short', 12)
    .withTarget(prom(perPod('sum', `increase(kube_pod_container_status_restarts_total${pods}[$__rate_interval])`), '{{pod}}')).min(0));
  if (hasAll(sources, 'kubelet-probes')) {
    b.withPanel(timeseriesPanel('Probe failures', 'Liveness, readiness and startup probes that did not succeed, per pod.', 'short', 12)
      .withTarget(prom(inWorkload(`sum by (namespace, pod, probe_type) (increase(prober_probe_total${sel(ns, 'pod=~"$pod"', 'result!="successful"')}[$__rate_interval]))`),
        '{{pod}} {{probe_type}}')).min(0));
  }
  if (hasAll(sources, 'kubelet')) {
    b.withPanel(timeseriesPanel('Log files on disk', 'Bytes of each pod\'s container log files on its node (the runtime\'s own figure; the log agent ships them).', 'bytes', 12)
      .withTarget(prom(perPod('sum', `kubelet_container_log_filesystem_used_bytes${pods}`), '{{pod}}')).min(0));
  }
  b.withPanel(instantTable('Pods', 'Each pod with its node, phase and service (the `app.kubernetes.io/name` or `app` label: the service on the Services dashboard).',
    { label_app_kubernetes_io_name: 'service', label_app: 'app' }, 12, 8)
    .withTarget(prom(inWorkload(`max by (namespace, pod, node) (kube_pod_info${pods})`), '', { instant: true }))
    .withTarget(prom(inWorkload(`max by (namespace, pod, phase) (kube_pod_status_phase${pods} == 1)`), '', { instant: true }))
    .withTarget(prom(inWorkload(`max by (namespace, pod, label_app_kubernetes_io_name, label_app) (kube_pod_labels${pods})`), '', { instant: true }))
    .withTransformation({ id: 'organize', options: { excludeByName: { 'Value #A': true, 'Value #B': true, 'Value #C': true } } }));
  return finalize(b.build());
}
