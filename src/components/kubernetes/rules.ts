/**
 * The cluster's recording rules and alerts (`kubernetes.rules.yaml`), as our own typed rules. Recorded
 * series and alerts carry the names the kubernetes-mixin gives them, so users of kube-prometheus or
 * k8s-monitoring recognise them; the expressions, thresholds and texts are obs-stack's. Metric names and
 * labels come from the metrics catalog, which records which component exports each.
 *
 * Sources: kube-state-metrics (objects), node-exporter (nodes), the kubelet (`kubelet`, its cAdvisor
 * `kubelet-cadvisor`), the API server (`apiserver`). A rule is rendered only when every source it reads is
 * enabled. Container usage comes from the kubelet's cAdvisor only, never from the cAdvisor DaemonSet (job
 * `cadvisor`), so a container is never counted twice.
 */
import type { MetricSource } from '../../lib/metric-source';
import { CLUSTER_SOURCE_JOBS } from './metrics';
import { CLUSTER_RECORDED } from './recorded-series';
import { type AlertingRule, type RecordingRule, type RuleContribution, type RuleGroup, WATCHDOG_ALERT } from '../../lib/rules';

export const CLUSTER_RULE_FILE = 'kubernetes.rules.yaml';

/** Scrape jobs the rules select (the kubelet's cAdvisor and the API server share metric names with others). */
const CLUSTER_RULE_JOBS = {
  kubelet: CLUSTER_SOURCE_JOBS.kubelet,
  kubeletCadvisor: CLUSTER_SOURCE_JOBS['kubelet-cadvisor'],
  apiServer: CLUSTER_SOURCE_JOBS.apiserver,
} as const;

export interface ClusterRulesInput {
  readonly alertsEnabled: boolean;
  /** Metric sources that are enabled (`enabledMetricSources`). */
  readonly sources: ReadonlySet<MetricSource>;
  /** Runbook site: `<base>/<group>/<alert in lower case>`. */
  readonly runbookBaseUrl: string;
  /** How long a scrape job must be gone before KubeletDown / KubeAPIDown fire. */
  readonly downFor: string;
  /** Grafana paths (`/d/<uid>`) the alerts link to. */
  readonly dashboardPaths: { readonly workloads: string; readonly nodes: string; readonly volumes: string; readonly controlPlane: string };
}

/** Thresholds of the cluster alerts (the mixin's defaults where it has one). */
export const CLUSTER_THRESHOLDS = {
  /** KubePersistentVolumeFillingUp: free share below which it is critical now, and warning when also predicted full within 4 days. */
  volumeFreeCritical: 0.03,
  volumeFreeWarning: 0.15,
  /** NodeFilesystemSpaceFillingUp: free share, and how far ahead the trend must reach zero. */
  nodeFsFillingWarning: { free: 0.15, hours: 24 },
  nodeFsFillingCritical: { free: 0.10, hours: 4 },
  /** NodeFilesystemAlmostOutOfSpace. */
  nodeFsAlmostOutWarning: 0.05,
  nodeFsAlmostOutCritical: 0.03,
  /** NodeMemoryHighUtilization: share of memory not available. */
  nodeMemory: 0.9,
  /** CPUThrottlingHigh: share of CFS periods throttled. */
  cpuThrottling: 0.25,
  /** KubeAPIErrorsHigh: share of API requests answered 5xx. */
  apiErrorsCritical: 0.03,
  apiErrorsWarning: 0.01,
  /** TargetDown: share of a cluster job's targets down, in percent. */
  targetsDownPercent: 10,
} as const;

const pct = (r: number) => `${+(r * 100).toFixed(2)}%`;

/** The recording rules whose sources are enabled. */
export function clusterRecordingRules(sources: ReadonlySet<MetricSource>): RecordingRule[] {
  const rules: RecordingRule[] = [];
  if (sources.has('kubelet-cadvisor')) {
    // Container cgroups only: pod-level cgroups have no container label, and "POD" is a sandbox on runtimes that name it.
    const sel = `job="${CLUSTER_RULE_JOBS.kubeletCadvisor}", container!="", container!="POD"`;
    rules.push(
      { record: CLUSTER_RECORDED.containerCpu, expr: `sum by (node, namespace, pod, container) (rate(container_cpu_usage_seconds_total{${sel}}[5m]))` },
      { record: CLUSTER_RECORDED.containerMemory, expr: `max by (node, namespace, pod, container) (container_memory_working_set_bytes{${sel}})` },
    );
  }
  if (sources.has('kube-state-metrics')) {
    const owner = (kind: string) => `kube_pod_owner{owner_kind="${kind}"}`;
    const workloadPod = (type: string, expr: string): RecordingRule => ({
      record: CLUSTER_RECORDED.workloadPod, expr: `max by (namespace, workload, pod) (${expr})`, labels: { workload_type: type },
    });
    const ownerIsWorkload = (kind: string) => `label_replace(${owner(kind)}, "workload", "$1", "owner_name", "(.+)")`;
    const requested = (resource: string) =>
      `sum by (namespace) (kube_pod_container_resource_requests{resource="${resource}"} * on (namespace, pod) group_left () max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"} == 1))`;
    rules.push(
      // A Deployment's pods are owned by its ReplicaSets; each ReplicaSet names its Deployment.
      workloadPod('deployment', `label_replace(${owner('ReplicaSet')}, "replicaset", "$1", "owner_name", "(.+)")`
        + ' * on (namespace, replicaset) group_left (workload) max by (namespace, replicaset, workload) '
        + '(label_replace(kube_replicaset_owner{owner_kind="Deployment"}, "workload", "$1", "owner_name", "(.+)"))'),
      workloadPod('daemonset', ownerIsWorkload('DaemonSet')),
      workloadPod('statefulset', ownerIsWorkload('StatefulSet')),
      workloadPod('job', ownerIsWorkload('Job')),
      { record: CLUSTER_RECORDED.namespaceCpuRequests, expr: requested('cpu') },
      { record: CLUSTER_RECORDED.namespaceMemoryRequests, expr: requested('memory') },
    );
  }
  if (sources.has('node-exporter')) {
    rules.push(
      { record: CLUSTER_RECORDED.nodeCpuUtilisation, expr: '1 - avg by (instance, node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))' },
      { record: CLUSTER_RECORDED.nodeMemoryUtilisation, expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes' },
    );
  }
  return rules;
}

/** Where each alert's runbook lives on the runbook site (the mixin's sections and page names). */
const RUNBOOK_PAGES: Readonly<Record<string, string>> = {
  KubePodCrashLooping: 'kubernetes/kubepodcrashlooping',
  KubePodNotReady: 'kubernetes/kubepodnotready',
  KubeDeploymentReplicasMismatch: 'kubernetes/kubedeploymentreplicasmismatch',
  KubeStatefulSetReplicasMismatch: 'kubernetes/kubestatefulsetreplicasmismatch',
  KubeDaemonSetRolloutStuck: 'kubernetes/kubedaemonsetrolloutstuck',
  KubeJobFailed: 'kubernetes/kubejobfailed',
  KubeContainerWaiting: 'kubernetes/kubecontainerwaiting',
  KubePersistentVolumeFillingUp: 'kubernetes/kubepersistentvolumefillingup',
  KubeNodeNotReady: 'kubernetes/kubenodenotready',
  KubeNodeUnreachable: 'kubernetes/kubenodeunreachable',
  CPUThrottlingHigh: 'kubernetes/cputhrottlinghigh',
  KubeletDown: 'kubernetes/kubeletdown',
  KubeAPIDown: 'kubernetes/kubeapidown',
  // The mixin's current alert on API server errors (an error-budget burn) has the page for this condition.
  KubeAPIErrorsHigh: 'kubernetes/kubeapierrorbudgetburn',
  NodeFilesystemSpaceFillingUp: 'node/nodefilesystemspacefillingup',
  NodeFilesystemAlmostOutOfSpace: 'node/nodefilesystemalmostoutofspace',
  NodeMemoryHighUtilization: 'node/nodememoryhighutilization',
  TargetDown: 'general/targetdown',
  Watchdog: 'general/watchdog',
};

type Alert = Omit<AlertingRule, 'annotations'> & { annotations: { summary: string; description: string; dashboard?: string } };

/** The cluster alerts whose sources are enabled, each with `for`, severity, summary, description and runbook URL. */
export function clusterAlertRules(input: ClusterRulesInput): AlertingRule[] {
  const s = input.sources;
  const t = CLUSTER_THRESHOLDS;
  const d = input.dashboardPaths;
  const alerts: Alert[] = [];
  const ksm = s.has('kube-state-metrics');

  if (ksm) {
    alerts.push(
      {
        alert: 'KubePodCrashLooping',
        expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
          description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} keeps failing and waits in CrashLoopBackOff; '
            + 'its previous logs (kubectl logs --previous) say why.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}`,
        },
      },
      {
        // Not Ready, except pods that completed and the pods of Jobs (they are not meant to serve).
        alert: 'KubePodNotReady',
        expr: 'max by (namespace, pod) (kube_pod_status_ready{condition="true"}) == 0'
          + ' unless on (namespace, pod) max by (namespace, pod) (kube_pod_status_phase{phase="Succeeded"} == 1)'
          + ' unless on (namespace, pod) max by (namespace, pod) (kube_pod_owner{owner_kind="Job"})',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} has not been ready for 15 minutes',
          description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is pending, failing its readiness probe or stuck: it serves no traffic. '
            + 'Its events (kubectl describe pod) and the Workloads dashboard show why.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}`,
        },
      },
      {
        alert: 'KubeDeploymentReplicasMismatch',
        expr: '(kube_deployment_spec_replicas > kube_deployment_status_replicas_available) and (changes(kube_deployment_status_replicas_updated[10m]) == 0)',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} is short of replicas',
          description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than desired for 15 minutes, with no rollout progressing.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}&var-workload={{ $labels.deployment }}`,
        },
      },
      {
        alert: 'KubeStatefulSetReplicasMismatch',
        expr: '(kube_statefulset_status_replicas_ready != kube_statefulset_replicas) and (changes(kube_statefulset_status_replicas_updated[10m]) == 0)',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} does not have its replicas ready',
          description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has had a ready count different from its desired replicas for 15 minutes, with no update progressing.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}&var-workload={{ $labels.statefulset }}`,
        },
      },
      {
        alert: 'KubeDaemonSetRolloutStuck',
        expr: 'max by (namespace, daemonset) ('
          + '(kube_daemonset_status_current_number_scheduled != kube_daemonset_status_desired_number_scheduled)'
          + ' or (kube_daemonset_status_number_misscheduled != 0)'
          + ' or (kube_daemonset_status_updated_number_scheduled != kube_daemonset_status_desired_number_scheduled)'
          + ' or (kube_daemonset_status_number_available != kube_daemonset_status_desired_number_scheduled)'
          + ') and on (namespace, daemonset) max by (namespace, daemonset) (changes(kube_daemonset_status_updated_number_scheduled[5m])) == 0',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} rollout is stuck',
          description: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has not had its pod scheduled, updated and available on every node it targets for 15 minutes, and nothing changed in the last 5.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}&var-workload={{ $labels.daemonset }}`,
        },
      },
      {
        alert: 'KubeJobFailed',
        expr: 'kube_job_failed{condition="true"} > 0',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed',
          description: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} has the Failed condition: it gave up (backoff limit or deadline). Delete it once its pods\' logs are read, or fix and rerun it.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}`,
        },
      },
      {
        alert: 'KubeContainerWaiting',
        expr: 'sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason!="CrashLoopBackOff"}) > 0',
        for: '1h',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting for an hour',
          description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has not started for an hour (image pull, configuration or volume errors); the pod\'s events say why.',
          dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}`,
        },
      },
      {
        alert: 'KubeNodeNotReady',
        expr: 'kube_node_status_condition{condition="Ready", status="true"} == 0',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Node {{ $labels.node }} is not ready',
          description: 'Node {{ $labels.node }} has not reported Ready for 15 minutes: its kubelet or container runtime is unhealthy, or it is out of resources.',
          dashboard: `${d.nodes}?var-node={{ $labels.node }}`,
        },
      },
      {
        alert: 'KubeNodeUnreachable',
        expr: 'kube_node_spec_taint{key="node.kubernetes.io/unreachable", effect="NoSchedule"} == 1',
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Node {{ $labels.node }} is unreachable',
          description: 'Node {{ $labels.node }} carries the unreachable taint: the control plane has not heard from its kubelet. Its pods are being evicted.',
          dashboard: `${d.nodes}?var-node={{ $labels.node }}`,
        },
      },
    );
  }

  if (s.has('kubelet')) {
    const ratio = 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes';
    // Volumes mounted read-only everywhere cannot fill up.
    const exceptReadOnly = ksm ? ' unless on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_access_mode{access_mode="ReadOnlyMany"} == 1' : '';
    alerts.push(
      {
        alert: 'KubePersistentVolumeFillingUp',
        expr: `(${ratio}) < ${t.volumeFreeCritical} and kubelet_volume_stats_used_bytes > 0${exceptReadOnly}`,
        for: '1m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is almost full',
          description: `Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free (under ${pct(t.volumeFreeCritical)}): writes will fail soon. Grow the claim or free space.`,
          dashboard: `${d.volumes}?var-namespace={{ $labels.namespace }}&var-pvc={{ $labels.persistentvolumeclaim }}`,
        },
      },
      {
        alert: 'KubePersistentVolumeFillingUp',
        expr: `(${ratio}) < ${t.volumeFreeWarning} and kubelet_volume_stats_used_bytes > 0`
          + ` and predict_linear(kubelet_volume_stats_available_bytes[6h], 4 * 24 * 3600) < 0${exceptReadOnly}`,
        for: '1h',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within four days',
          description: `Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free (under ${pct(t.volumeFreeWarning)}) and the last 6 hours' trend fills it within four days.`,
          dashboard: `${d.volumes}?var-namespace={{ $labels.namespace }}&var-pvc={{ $labels.persistentvolumeclaim }}`,
        },
      },
      {
        alert: 'KubeletDown',
        expr: `absent(up{job="${CLUSTER_RULE_JOBS.kubelet}"} == 1)`,
        for: input.downFor,
        labels: { severity: 'critical' },
        annotations: {
          summary: 'No kubelet answers Prometheus',
          description: `No kubelet has answered a scrape (job ${CLUSTER_RULE_JOBS.kubelet}) for ${input.downFor}: node and volume metrics are missing. Check Prometheus's targets page (a 401/403 is RBAC, a timeout the network policy to the node addresses).`,
          dashboard: d.nodes,
        },
      },
    );
  }

  if (s.has('node-exporter')) {
    const fs = (metric: string) => `${metric}{fstype!=""}`;
    const free = `${fs('node_filesystem_avail_bytes')} / ${fs('node_filesystem_size_bytes')}`;
    const writable = `${fs('node_filesystem_readonly')} == 0`;
    const filling = (severity: 'warning' | 'critical', free0: number, hours: number): Alert => ({
      alert: 'NodeFilesystemSpaceFillingUp',
      expr: `(${free} < ${free0} and predict_linear(${fs('node_filesystem_avail_bytes')}[6h], ${hours} * 3600) < 0 and ${writable})`,
      for: '1h',
      labels: { severity },
      annotations: {
        summary: `Filesystem {{ $labels.mountpoint }} on node {{ $labels.node }} will be full within ${hours} hours`,
        description: `Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on node {{ $labels.node }} has {{ $value | humanizePercentage }} free (under ${pct(free0)}) and the last 6 hours' trend fills it within ${hours} hours.`,
        dashboard: `${d.nodes}?var-node={{ $labels.node }}`,
      },
    });
    const almostOut = (severity: 'warning' | 'critical', free0: number): Alert => ({
      alert: 'NodeFilesystemAlmostOutOfSpace',
      expr: `(${free} < ${free0} and ${writable})`,
      for: '30m',
      labels: { severity },
      annotations: {
        summary: `Filesystem {{ $labels.mountpoint }} on node {{ $labels.node }} has less than ${pct(free0)} free`,
        description: `Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on node {{ $labels.node }} has {{ $value | humanizePercentage }} free: the kubelet starts evicting pods and removing images under disk pressure.`,
        dashboard: `${d.nodes}?var-node={{ $labels.node }}`,
      },
    });
    alerts.push(
      filling('warning', t.nodeFsFillingWarning.free, t.nodeFsFillingWarning.hours),
      filling('critical', t.nodeFsFillingCritical.free, t.nodeFsFillingCritical.hours),
      almostOut('warning', t.nodeFsAlmostOutWarning),
      almostOut('critical', t.nodeFsAlmostOutCritical),
      {
        alert: 'NodeMemoryHighUtilization',
        expr: `1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > ${t.nodeMemory}`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Node {{ $labels.node }} is running out of memory',
          description: `Node {{ $labels.node }} has used {{ $value | humanizePercentage }} of its memory (over ${pct(t.nodeMemory)}) for 15 minutes: the kubelet evicts pods and the kernel kills processes next.`,
          dashboard: `${d.nodes}?var-node={{ $labels.node }}`,
        },
      },
    );
  }

  if (s.has('kubelet-cadvisor')) {
    const sel = `job="${CLUSTER_RULE_JOBS.kubeletCadvisor}", container!="", container!="POD"`;
    alerts.push({
      alert: 'CPUThrottlingHigh',
      expr: `sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{${sel}}[5m]))`
        + ` / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{${sel}}[5m])) > ${t.cpuThrottling}`,
      for: '15m',
      labels: { severity: 'info' },
      annotations: {
        summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is CPU-throttled',
        description: `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was throttled in {{ $value | humanizePercentage }} of its CPU periods (over ${pct(t.cpuThrottling)}): its CPU limit is too low for its load.`,
        dashboard: `${d.workloads}?var-namespace={{ $labels.namespace }}`,
      },
    });
  }

  if (s.has('apiserver')) {
    const job = CLUSTER_RULE_JOBS.apiServer;
    const errors = (severity: 'warning' | 'critical', ratio: number): Alert => ({
      alert: 'KubeAPIErrorsHigh',
      expr: `sum(rate(apiserver_request_total{job="${job}", code=~"5.."}[5m])) / sum(rate(apiserver_request_total{job="${job}"}[5m])) > ${ratio}`,
      for: '10m',
      labels: { severity },
      annotations: {
        summary: `The API server answers more than ${pct(ratio)} of requests with a server error`,
        description: `The API server answered {{ $value | humanizePercentage }} of its requests with a 5xx over 5 minutes (threshold ${pct(ratio)}): controllers, kubectl and the stack itself fail their calls.`,
        dashboard: d.controlPlane,
      },
    });
    alerts.push(
      errors('critical', t.apiErrorsCritical),
      errors('warning', t.apiErrorsWarning),
      {
        alert: 'KubeAPIDown',
        expr: `absent(up{job="${job}"} == 1)`,
        for: input.downFor,
        labels: { severity: 'critical' },
        annotations: {
          summary: 'No API server answers Prometheus',
          description: `No API server endpoint has answered a scrape (job ${job}) for ${input.downFor}: the control plane is down, or Prometheus cannot reach it.`,
          dashboard: d.controlPlane,
        },
      },
    );
  }

  const clusterJobs = (Object.entries(CLUSTER_SOURCE_JOBS) as Array<[MetricSource, string]>).filter(([source]) => s.has(source)).map(([, job]) => job);
  if (clusterJobs.length > 0) {
    const up = `up{job=~"${clusterJobs.join('|')}"}`;
    alerts.push({
      alert: 'TargetDown',
      expr: `100 * (count by (job) (${up} == 0) / count by (job) (${up})) > ${t.targetsDownPercent}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'More than 10% of the {{ $labels.job }} targets are down',
        description: 'Prometheus cannot scrape {{ $value | humanize }}% of the targets of job {{ $labels.job }}: some nodes\' kubelets, API server or CoreDNS pods are unreachable. The targets page lists which.',
        dashboard: d.controlPlane,
      },
    });
  }

  alerts.push({
    // Always firing: an Alertmanager (or a dead man's switch behind it) notices when alerts stop arriving.
    alert: WATCHDOG_ALERT,
    expr: 'vector(1)',
    for: '0s',
    labels: { severity: 'none' },
    annotations: {
      summary: 'The alerting pipeline is working',
      description: 'This alert always fires. If it stops arriving where alerts are sent, Prometheus or the way to the receivers is broken.',
    },
  });

  return alerts.map((a) => ({
    ...a,
    annotations: { ...a.annotations, runbook_url: `${input.runbookBaseUrl}/${RUNBOOK_PAGES[a.alert]}` },
  }));
}

/** The recording group always (when any source records), the alert group when alerts are enabled. */
export function clusterRuleGroups(input: ClusterRulesInput): RuleGroup[] {
  const records = clusterRecordingRules(input.sources);
  return [
    ...(records.length > 0 ? [{ name: 'obs-stack.kubernetes.records', rules: records }] : []),
    ...(input.alertsEnabled ? [{ name: 'obs-stack.kubernetes.alerts', rules: clusterAlertRules(input) }] : []),
  ];
}

/** The groups as contributions to `kubernetes.rules.yaml` (no file when there is no cluster rule to write). */
export function clusterRules(input: ClusterRulesInput): RuleContribution[] {
  return clusterRuleGroups(input).map((g) => ({ file: CLUSTER_RULE_FILE, group: g.name, rules: g.rules }));
}
