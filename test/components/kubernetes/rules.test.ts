/**
 * The cluster rules (kubernetes.rules.yaml): names as the kubernetes-mixin gives them, every alert with for,
 * severity, summary, description and runbook URL, only rules whose sources are enabled, and each alert
 * firing and not firing under `promtool test rules` (Debian's promtool 2.42: ranges there include the
 * sample at the range start, Prometheus 3 leaves it out; the series below change slowly enough that both
 * give the same answers).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import {
  CLUSTER_RULE_FILE, type ClusterRulesInput, clusterAlertRules, clusterRecordingRules, clusterRuleGroups, clusterRules,
} from '../../../src/components/kubernetes/rules';
import { ruleFilesFor } from '../../../src/components/content';
import { type AlertingRule, type RuleFile, joinRuleFiles, renderRuleFiles } from '../../../src/lib/rules';
import { resolveEnvironment } from '../../../src/config/resolve';
import { CLUSTER_RECORDED } from '../../../src/components/kubernetes/recorded-series';
import { catalogNames, knownLabels, type MetricSource } from '../../../src/lib/metrics-catalog';
import { toYaml } from '../../../src/lib/yaml';
import { parseErrors, promqlMetricNames, promqlSelectorMatchers } from '../../support/queries';

const ALL: MetricSource[] = ['scrape', 'prometheus', 'recording-rule', 'node-exporter', 'kube-state-metrics', 'kubelet', 'kubelet-cadvisor', 'kubelet-probes', 'apiserver', 'coredns'];
const input: ClusterRulesInput = {
  alertsEnabled: true,
  sources: new Set(ALL),
  runbookBaseUrl: 'https://runbooks.example.com/runbooks',
  downFor: '2m',
  dashboardPaths: { workloads: '/d/w', nodes: '/d/n', volumes: '/d/v', controlPlane: '/d/c' },
};
const alerts = clusterAlertRules(input);
/** `kubernetes.rules.yaml` as the stack writes it. */
const renderClusterRuleFile = (i: ClusterRulesInput) => renderRuleFiles(joinRuleFiles(clusterRules(i)));
const expressions = (i: ClusterRulesInput) => clusterRuleGroups(i).flatMap((g) => g.rules.map((r) => r.expr));

/** The alerts the issue names (mixin names), and the ones added next to them. */
const MIXIN_ALERTS = [
  'KubePodCrashLooping', 'KubePodNotReady', 'KubeDeploymentReplicasMismatch', 'KubeStatefulSetReplicasMismatch', 'KubeDaemonSetRolloutStuck',
  'KubeJobFailed', 'KubePersistentVolumeFillingUp', 'KubeNodeNotReady', 'KubeNodeUnreachable', 'NodeFilesystemSpaceFillingUp',
  'NodeFilesystemAlmostOutOfSpace', 'NodeMemoryHighUtilization', 'CPUThrottlingHigh', 'KubeAPIErrorsHigh', 'TargetDown', 'Watchdog',
  'KubeContainerWaiting', 'KubeletDown', 'KubeAPIDown',
];

function promtool(): string | undefined {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return 'promtool';
  if (process.env.CI === 'true') throw new Error('promtool is not installed, and CI=true requires the promtool rule tests to run');
  console.warn('SKIPPED: promtool is not installed; the cluster rule tests did not run (install prometheus/promtool to run them)');
  return undefined;
}

/** The rule file with annotations kept only on KubePodCrashLooping, whose templated text and runbook URL a case checks. */
function ruleFileForTests(i: ClusterRulesInput): string {
  const file = load(renderClusterRuleFile(i)[CLUSTER_RULE_FILE]) as RuleFile;
  for (const g of file.groups) for (const r of g.rules) if ('alert' in r && r.alert !== 'KubePodCrashLooping') delete (r as Partial<AlertingRule>).annotations;
  return toYaml(file);
}

const s = (series: string, values: string) => ({ series, values });
const KSM = 'job="kube-state-metrics"';

/** Objects that fail (and objects that are fine), from kube-state-metrics. */
const APPS = [
  // api-1 crash loops; web-1 waits for its image (ContainerCreating) the whole time.
  s(`kube_pod_container_status_waiting_reason{${KSM}, namespace="shop", pod="api-1", uid="u1", container="api", reason="CrashLoopBackOff"}`, '1x90'),
  s(`kube_pod_container_status_waiting_reason{${KSM}, namespace="shop", pod="web-1", uid="u2", container="web", reason="ContainerCreating"}`, '1x90'),
  // Readiness: api-1 not ready; web-2 ready; batch-1 (a Job's pod) and done-1 (Succeeded) not ready, but excused.
  s(`kube_pod_status_ready{${KSM}, namespace="shop", pod="api-1", uid="u1", condition="true"}`, '0x90'),
  s(`kube_pod_status_ready{${KSM}, namespace="shop", pod="web-2", uid="u3", condition="true"}`, '1x90'),
  s(`kube_pod_status_ready{${KSM}, namespace="shop", pod="batch-1", uid="u4", condition="true"}`, '0x90'),
  s(`kube_pod_owner{${KSM}, namespace="shop", pod="batch-1", uid="u4", owner_kind="Job", owner_name="batch", owner_is_controller="true"}`, '1x90'),
  s(`kube_pod_status_ready{${KSM}, namespace="shop", pod="done-1", uid="u5", condition="true"}`, '0x90'),
  s(`kube_pod_status_phase{${KSM}, namespace="shop", pod="done-1", uid="u5", phase="Succeeded"}`, '1x90'),
  // Deployment api short of replicas and not rolling; web complete.
  s(`kube_deployment_spec_replicas{${KSM}, namespace="shop", deployment="api"}`, '3x90'),
  s(`kube_deployment_status_replicas_available{${KSM}, namespace="shop", deployment="api"}`, '1x90'),
  s(`kube_deployment_status_replicas_updated{${KSM}, namespace="shop", deployment="api"}`, '3x90'),
  s(`kube_deployment_spec_replicas{${KSM}, namespace="shop", deployment="web"}`, '2x90'),
  s(`kube_deployment_status_replicas_available{${KSM}, namespace="shop", deployment="web"}`, '2x90'),
  s(`kube_deployment_status_replicas_updated{${KSM}, namespace="shop", deployment="web"}`, '2x90'),
  // StatefulSet db: 2 of 3 ready; cache: 1 of 1.
  s(`kube_statefulset_replicas{${KSM}, namespace="shop", statefulset="db"}`, '3x90'),
  s(`kube_statefulset_status_replicas_ready{${KSM}, namespace="shop", statefulset="db"}`, '2x90'),
  s(`kube_statefulset_status_replicas_updated{${KSM}, namespace="shop", statefulset="db"}`, '3x90'),
  s(`kube_statefulset_replicas{${KSM}, namespace="shop", statefulset="cache"}`, '1x90'),
  s(`kube_statefulset_status_replicas_ready{${KSM}, namespace="shop", statefulset="cache"}`, '1x90'),
  s(`kube_statefulset_status_replicas_updated{${KSM}, namespace="shop", statefulset="cache"}`, '1x90'),
  // DaemonSet agent: available on 2 of 3 nodes; ok-ds everywhere.
  ...(['agent', 'ok-ds'] as const).flatMap((ds) => [
    s(`kube_daemonset_status_desired_number_scheduled{${KSM}, namespace="infra", daemonset="${ds}"}`, '3x90'),
    s(`kube_daemonset_status_current_number_scheduled{${KSM}, namespace="infra", daemonset="${ds}"}`, '3x90'),
    s(`kube_daemonset_status_number_available{${KSM}, namespace="infra", daemonset="${ds}"}`, ds === 'agent' ? '2x90' : '3x90'),
    s(`kube_daemonset_status_number_misscheduled{${KSM}, namespace="infra", daemonset="${ds}"}`, '0x90'),
    s(`kube_daemonset_status_updated_number_scheduled{${KSM}, namespace="infra", daemonset="${ds}"}`, '3x90'),
  ]),
  // Job migrate failed; job seed did not.
  s(`kube_job_failed{${KSM}, namespace="shop", job_name="migrate", condition="true"}`, '1x90'),
  s(`kube_job_failed{${KSM}, namespace="shop", job_name="migrate", condition="false"}`, '0x90'),
  s(`kube_job_failed{${KSM}, namespace="shop", job_name="seed", condition="true"}`, '0x90'),
  // Node n2 not ready and tainted unreachable; n1 fine.
  s(`kube_node_status_condition{${KSM}, node="n1", condition="Ready", status="true"}`, '1x90'),
  s(`kube_node_status_condition{${KSM}, node="n2", condition="Ready", status="true"}`, '0x90'),
  s(`kube_node_spec_taint{${KSM}, node="n2", key="node.kubernetes.io/unreachable", effect="NoSchedule"}`, '1x90'),
  s(`kube_node_spec_taint{${KSM}, node="n1", key="dedicated", value="gpu", effect="NoSchedule"}`, '1x90'),
];

const KUBELET = 'job="kubelet", node="n1", instance="n1"';
const vol = (pvc: string, cap: string, avail: string, used: string) => [
  s(`kubelet_volume_stats_capacity_bytes{${KUBELET}, namespace="shop", persistentvolumeclaim="${pvc}"}`, cap),
  s(`kubelet_volume_stats_available_bytes{${KUBELET}, namespace="shop", persistentvolumeclaim="${pvc}"}`, avail),
  s(`kubelet_volume_stats_used_bytes{${KUBELET}, namespace="shop", persistentvolumeclaim="${pvc}"}`, used),
];
/** data-0 almost full; logs full but read-only; growing at 14% and falling; roomy fine. */
const VOLUMES = [
  ...vol('data-0', '100x150', '2x150', '98x150'),
  ...vol('logs', '100x150', '1x150', '99x150'),
  s(`kube_persistentvolumeclaim_access_mode{${KSM}, namespace="shop", persistentvolumeclaim="logs", access_mode="ReadOnlyMany"}`, '1x150'),
  ...vol('growing', '100x150', '14-0.01x150', '86+0.01x150'),
  ...vol('roomy', '100x150', '60x150', '40x150'),
];

/** Claims that must not alert: one with room, one full but mounted read-only everywhere. */
const VOLUMES_OK = [
  ...vol('logs', '100x150', '1x150', '99x150'),
  s(`kube_persistentvolumeclaim_access_mode{${KSM}, namespace="shop", persistentvolumeclaim="logs", access_mode="ReadOnlyMany"}`, '1x150'),
  ...vol('roomy', '100x150', '60x150', '40x150'),
];

const NE = (node: string) => `job="node-exporter", node="${node}", instance="${node}"`;
const fsSeries = (node: string, mount: string, size: string, avail: string, ro = '0x150') => {
  const l = `${NE(node)}, device="/dev/sda1", mountpoint="${mount}", fstype="ext4"`;
  return [s(`node_filesystem_size_bytes{${l}}`, size), s(`node_filesystem_avail_bytes{${l}}`, avail), s(`node_filesystem_readonly{${l}}`, ro)];
};
/** "/" on n1 filling slowly (warning), "/var" on n2 fast (critical), "/data" at 2% (almost out), "/ro" full but read-only, "/big" fine. */
const NODES = [
  ...fsSeries('n1', '/', '100x150', '14-0.01x150'),
  ...fsSeries('n2', '/var', '100x150', '9.5-0.04x150'),
  ...fsSeries('n1', '/data', '100x150', '2x150'),
  ...fsSeries('n1', '/ro', '100x150', '1x150', '1x150'),
  ...fsSeries('n2', '/big', '100x150', '80x150'),
  s(`node_memory_MemTotal_bytes{${NE('n1')}}`, '100x90'), s(`node_memory_MemAvailable_bytes{${NE('n1')}}`, '5x90'),
  s(`node_memory_MemTotal_bytes{${NE('n2')}}`, '100x90'), s(`node_memory_MemAvailable_bytes{${NE('n2')}}`, '50x90'),
];

const CAD = 'job="kubelet-cadvisor", node="n1", instance="n1", namespace="shop"';
/** api throttled in half its periods, web in a tenth. */
const THROTTLING = [
  s(`container_cpu_cfs_periods_total{${CAD}, pod="api-1", container="api"}`, '0+600x60'),
  s(`container_cpu_cfs_throttled_periods_total{${CAD}, pod="api-1", container="api"}`, '0+300x60'),
  s(`container_cpu_cfs_periods_total{${CAD}, pod="web-1", container="web"}`, '0+600x60'),
  s(`container_cpu_cfs_throttled_periods_total{${CAD}, pod="web-1", container="web"}`, '0+60x60'),
];

const API = 'job="apiserver", instance="172.18.0.2:6443", verb="GET", resource="pods"';
/** 5% of API requests fail; kubelet n2 down out of three; CoreDNS up. */
const CONTROL_PLANE_BAD = [
  s(`apiserver_request_total{${API}, code="200"}`, '0+950x60'),
  s(`apiserver_request_total{${API}, code="500"}`, '0+50x60'),
  s('up{job="apiserver", instance="172.18.0.2:6443"}', '1x60'),
  ...['n1', 'n2', 'n3'].map((n) => s(`up{job="kubelet", instance="${n}", node="${n}"}`, n === 'n2' ? '0x60' : '1x60')),
  s('up{job="coredns", instance="10.244.0.5:9153", namespace="kube-system", pod="coredns-1"}', '1x60'),
];
/** A healthy control plane with a little noise: 0.5% errors (under both thresholds), every target up. */
const CONTROL_PLANE_OK = [
  s(`apiserver_request_total{${API}, code="200"}`, '0+995x60'),
  s(`apiserver_request_total{${API}, code="500"}`, '0+5x60'),
  s('up{job="apiserver", instance="172.18.0.2:6443"}', '1x60'),
  ...['n1', 'n2', 'n3'].map((n) => s(`up{job="kubelet", instance="${n}", node="${n}"}`, '1x60')),
];
/** Nothing answers: no API server, no kubelet. */
const CONTROL_PLANE_GONE = [
  s('up{job="apiserver", instance="172.18.0.2:6443"}', '0x60'),
  ...['n1', 'n2'].map((n) => s(`up{job="kubelet", instance="${n}", node="${n}"}`, '0x60')),
];

/** Inputs of the recording rules: a Deployment's pod (through its ReplicaSet), a DaemonSet's, requests, CPU. */
const RECORDS = [
  s(`kube_pod_owner{${KSM}, namespace="shop", pod="api-7d9-abc", uid="u1", owner_kind="ReplicaSet", owner_name="api-7d9", owner_is_controller="true"}`, '1x10'),
  s(`kube_replicaset_owner{${KSM}, namespace="shop", replicaset="api-7d9", owner_kind="Deployment", owner_name="api", owner_is_controller="true"}`, '1x10'),
  s(`kube_pod_owner{${KSM}, namespace="infra", pod="agent-x1", uid="u2", owner_kind="DaemonSet", owner_name="agent", owner_is_controller="true"}`, '1x10'),
  s(`kube_pod_container_resource_requests{${KSM}, namespace="shop", pod="api-7d9-abc", uid="u1", container="api", node="n1", resource="cpu", unit="core"}`, '0.25x10'),
  s(`kube_pod_status_phase{${KSM}, namespace="shop", pod="api-7d9-abc", uid="u1", phase="Running"}`, '1x10'),
  // A completed pod's requests no longer count.
  s(`kube_pod_container_resource_requests{${KSM}, namespace="shop", pod="done-1", uid="u5", container="job", node="n1", resource="cpu", unit="core"}`, '1x10'),
  s(`kube_pod_status_phase{${KSM}, namespace="shop", pod="done-1", uid="u5", phase="Succeeded"}`, '1x10'),
  s(`kube_pod_status_phase{${KSM}, namespace="shop", pod="done-1", uid="u5", phase="Running"}`, '0x10'),
  // 45 of every 60 CPU seconds idle: 25% utilised.
  s(`node_cpu_seconds_total{${NE('n1')}, cpu="0", mode="idle"}`, '0+45x10'),
  s(`node_cpu_seconds_total{${NE('n1')}, cpu="0", mode="user"}`, '0+15x10'),
  // Half a core for the container; the pod's own cgroup (no container label) is not counted again.
  s(`container_cpu_usage_seconds_total{${CAD}, pod="api-7d9-abc", container="api", cpu="total"}`, '0+30x10'),
  s(`container_cpu_usage_seconds_total{${CAD}, pod="api-7d9-abc", container="", cpu="total"}`, '0+30x10'),
];

type Case = { alertname: string; eval_time: string; exp_alerts: unknown[] };
const a = (alertname: string, eval_time: string, ...exp_labels: Array<Record<string, string>>): Case =>
  ({ alertname, eval_time, exp_alerts: exp_labels.map((l) => ({ exp_labels: l })) });

function unitTests(ruleFile: string): unknown {
  const shop = { job: 'kube-state-metrics', namespace: 'shop' };
  const vl = (pvc: string, severity: string) => ({ severity, job: 'kubelet', node: 'n1', instance: 'n1', namespace: 'shop', persistentvolumeclaim: pvc });
  const fl = (node: string, mountpoint: string, severity: string) => ({ severity, job: 'node-exporter', node, instance: node, device: '/dev/sda1', mountpoint, fstype: 'ext4' });
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: RECORDS,
        promql_expr_test: [
          {
            expr: CLUSTER_RECORDED.workloadPod, eval_time: '5m', exp_samples: [
              { labels: `${CLUSTER_RECORDED.workloadPod}{namespace="shop", pod="api-7d9-abc", workload="api", workload_type="deployment"}`, value: 1 },
              { labels: `${CLUSTER_RECORDED.workloadPod}{namespace="infra", pod="agent-x1", workload="agent", workload_type="daemonset"}`, value: 1 },
            ],
          },
          { expr: CLUSTER_RECORDED.namespaceCpuRequests, eval_time: '5m', exp_samples: [{ labels: `${CLUSTER_RECORDED.namespaceCpuRequests}{namespace="shop"}`, value: 0.25 }] },
          { expr: CLUSTER_RECORDED.nodeCpuUtilisation, eval_time: '5m', exp_samples: [{ labels: `${CLUSTER_RECORDED.nodeCpuUtilisation}{instance="n1", node="n1"}`, value: 0.25 }] },
          {
            expr: CLUSTER_RECORDED.containerCpu, eval_time: '5m',
            exp_samples: [{ labels: `${CLUSTER_RECORDED.containerCpu}{node="n1", namespace="shop", pod="api-7d9-abc", container="api"}`, value: 0.5 }],
          },
        ],
      },
      {
        interval: '1m',
        input_series: APPS,
        alert_rule_test: [
          { alertname: 'KubePodCrashLooping', eval_time: '10m', exp_alerts: [] }, // not yet for 15m
          {
            alertname: 'KubePodCrashLooping', eval_time: '30m', exp_alerts: [{
              exp_labels: { ...shop, severity: 'warning', pod: 'api-1', uid: 'u1', container: 'api', reason: 'CrashLoopBackOff' },
              exp_annotations: {
                summary: 'Container api of pod shop/api-1 is crash looping',
                description: 'Container api of pod shop/api-1 keeps failing and waits in CrashLoopBackOff; its previous logs (kubectl logs --previous) say why.',
                dashboard: '/d/w?var-namespace=shop',
                runbook_url: 'https://runbooks.example.com/runbooks/kubernetes/kubepodcrashlooping',
              },
            }],
          },
          a('KubePodNotReady', '10m'),
          a('KubePodNotReady', '30m', { severity: 'warning', namespace: 'shop', pod: 'api-1' }),
          a('KubeDeploymentReplicasMismatch', '10m'),
          a('KubeDeploymentReplicasMismatch', '30m', { ...shop, severity: 'warning', deployment: 'api' }),
          a('KubeStatefulSetReplicasMismatch', '10m'),
          a('KubeStatefulSetReplicasMismatch', '30m', { ...shop, severity: 'warning', statefulset: 'db' }),
          a('KubeDaemonSetRolloutStuck', '10m'),
          a('KubeDaemonSetRolloutStuck', '30m', { severity: 'warning', namespace: 'infra', daemonset: 'agent' }),
          a('KubeJobFailed', '10m'),
          a('KubeJobFailed', '30m', { ...shop, severity: 'warning', job_name: 'migrate', condition: 'true' }),
          a('KubeContainerWaiting', '30m'), // not yet for 1h; the crash-looping container is KubePodCrashLooping's
          a('KubeContainerWaiting', '75m', { severity: 'warning', namespace: 'shop', pod: 'web-1', container: 'web' }),
          a('KubeNodeNotReady', '10m'),
          a('KubeNodeNotReady', '30m', { job: 'kube-state-metrics', severity: 'warning', node: 'n2', condition: 'Ready', status: 'true' }),
          a('KubeNodeUnreachable', '10m'),
          a('KubeNodeUnreachable', '30m', { job: 'kube-state-metrics', severity: 'warning', node: 'n2', key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }),
        ],
      },
      {
        interval: '1m',
        input_series: VOLUMES,
        alert_rule_test: [
          // Critical at once (for 1m): only the writable, almost full claim.
          a('KubePersistentVolumeFillingUp', '5m', vl('data-0', 'critical')),
          // Warning: the claim whose trend fills it within four days, after an hour.
          a('KubePersistentVolumeFillingUp', '120m', vl('data-0', 'critical'), vl('growing', 'warning')),
        ],
      },
      { interval: '1m', input_series: VOLUMES_OK, alert_rule_test: [a('KubePersistentVolumeFillingUp', '120m')] },
      {
        interval: '1m',
        input_series: NODES,
        alert_rule_test: [
          a('NodeFilesystemSpaceFillingUp', '30m'), // not yet for 1h
          a('NodeFilesystemSpaceFillingUp', '120m', fl('n1', '/', 'warning'), fl('n2', '/var', 'warning'), fl('n2', '/var', 'critical')),
          a('NodeFilesystemAlmostOutOfSpace', '10m'), // not yet for 30m
          a('NodeFilesystemAlmostOutOfSpace', '45m', fl('n1', '/data', 'warning'), fl('n1', '/data', 'critical')),
          a('NodeMemoryHighUtilization', '10m'),
          a('NodeMemoryHighUtilization', '30m', { severity: 'warning', job: 'node-exporter', node: 'n1', instance: 'n1' }),
        ],
      },
      {
        interval: '1m',
        input_series: THROTTLING,
        alert_rule_test: [
          a('CPUThrottlingHigh', '10m'),
          a('CPUThrottlingHigh', '30m', { severity: 'info', namespace: 'shop', pod: 'api-1', container: 'api' }),
        ],
      },
      {
        interval: '1m',
        input_series: CONTROL_PLANE_BAD,
        alert_rule_test: [
          a('KubeAPIErrorsHigh', '5m'), // not yet for 10m
          a('KubeAPIErrorsHigh', '30m', { severity: 'critical' }, { severity: 'warning' }),
          a('TargetDown', '5m'),
          a('TargetDown', '30m', { severity: 'warning', job: 'kubelet' }),
          a('KubeAPIDown', '30m'),
          a('KubeletDown', '30m'),
          a('Watchdog', '1m', { severity: 'none' }),
        ],
      },
      {
        interval: '1m',
        input_series: CONTROL_PLANE_OK,
        alert_rule_test: [a('KubeAPIErrorsHigh', '30m'), a('TargetDown', '30m'), a('KubeAPIDown', '30m'), a('KubeletDown', '30m')],
      },
      {
        interval: '1m',
        input_series: CONTROL_PLANE_GONE,
        alert_rule_test: [
          a('KubeAPIDown', '1m'), // not yet for 2m
          // absent() of a comparison carries no labels of the series.
          a('KubeAPIDown', '10m', { severity: 'critical' }),
          a('KubeletDown', '10m', { severity: 'critical' }),
        ],
      },
    ],
  };
}

function runPromtool(bin: string, args: string[], files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-cluster-rules-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(bin, args, { cwd: dir, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('cluster rules (kubernetes.rules.yaml)', () => {
  it('name the alerts as the kubernetes-mixin does, each with for, severity, summary, description and runbook URL', () => {
    expect([...new Set(alerts.map((x) => x.alert))].sort()).toEqual([...MIXIN_ALERTS].sort());
    for (const x of alerts) {
      expect([x.alert, typeof x.for === 'string' && x.for !== '']).toEqual([x.alert, true]);
      expect([x.alert, ['critical', 'warning', 'info', 'none'].includes(x.labels.severity)]).toEqual([x.alert, true]);
      expect([x.alert, x.annotations.summary.length > 10, x.annotations.description.length > 20]).toEqual([x.alert, true, true]);
      expect(x.annotations.runbook_url).toMatch(new RegExp(`^https://runbooks\\.example\\.com/runbooks/(kubernetes|node|general)/${x.alert.toLowerCase().replace('kubeapierrorshigh', 'kubeapierrorbudgetburn')}$`));
    }
  });

  it('name the recorded series as the mixin does', () => {
    expect([...new Set(clusterRecordingRules(input.sources).map((r) => r.record))].sort()).toEqual(Object.values(CLUSTER_RECORDED).sort());
  });

  it('have every expression parse as PromQL and read only metrics and labels the catalog records for the enabled sources', () => {
    const exprs = expressions(input);
    expect(exprs.length).toBeGreaterThan(25);
    expect(exprs.flatMap((e) => parseErrors('promql', e).map((x) => `${e}: ${x}`))).toEqual([]);
    const known = catalogNames(input.sources);
    expect(exprs.flatMap((e) => promqlMetricNames(e)).filter((n) => !known.has(n))).toEqual([]);
    const wrongLabels = exprs.flatMap((e) => promqlSelectorMatchers(e).flatMap(({ metric, labels }) => {
      const allowed = knownLabels(metric, input.sources);
      return allowed === undefined ? [] : labels.filter((l) => !allowed.has(l)).map((l) => `${metric}{${l}} in ${e}`);
    }));
    expect(wrongLabels).toEqual([]);
  });

  it.each([
    ['kube-state-metrics', ['KubePodCrashLooping', 'KubeNodeNotReady'], ['kube_']],
    ['node-exporter', ['NodeFilesystemSpaceFillingUp', 'NodeMemoryHighUtilization'], ['node_']],
    ['kubelet', ['KubePersistentVolumeFillingUp', 'KubeletDown'], ['kubelet_']],
    ['kubelet-cadvisor', ['CPUThrottlingHigh'], ['container_']],
    ['apiserver', ['KubeAPIErrorsHigh', 'KubeAPIDown'], ['apiserver_']],
  ] as const)('drop the rules of %s when it is off, and read nothing it exports', (source, gone, prefixes) => {
    const without = { ...input, sources: new Set([...input.sources].filter((x) => x !== source)) };
    const names = clusterAlertRules(without).map((x) => x.alert);
    for (const g of gone) expect(names).not.toContain(g);
    const read = expressions(without).flatMap((e) => promqlMetricNames(e));
    expect(read.filter((n) => prefixes.some((p) => n.startsWith(p)) && !catalogNames(without.sources).has(n))).toEqual([]);
  });

  it('keep read-only claims out of KubePersistentVolumeFillingUp only while kube-state-metrics runs', () => {
    const expr = (i: ClusterRulesInput) => clusterAlertRules(i).filter((x) => x.alert === 'KubePersistentVolumeFillingUp').map((x) => x.expr).join('\n');
    expect(expr(input)).toContain('access_mode="ReadOnlyMany"');
    expect(expr({ ...input, sources: new Set([...input.sources].filter((x) => x !== 'kube-state-metrics')) })).not.toContain('kube_');
  });

  it('render the recording rules without alerts when alerts are disabled, and are part of the stack\'s rule files', () => {
    const groups = clusterRuleGroups({ ...input, alertsEnabled: false });
    expect(groups.map((g) => g.name)).toEqual(['obs-stack.kubernetes.records']);
    const cfg = resolveEnvironment({ name: 'd', profile: 'dev' }).config;
    const files = ruleFilesFor(cfg, [{ job: 'prometheus', title: 'Prometheus' }]);
    expect(Object.keys(files)).toContain(CLUSTER_RULE_FILE);
    expect(files[CLUSTER_RULE_FILE]).toContain(`runbook_url: ${cfg.kubernetes.runbookBaseUrl}/kubernetes/kubepodcrashlooping`);
  });

  it('pass promtool check rules, and promtool test rules with a firing and a non-firing case for each alert', () => {
    const bin = promtool();
    if (bin === undefined) return;
    const check = runPromtool(bin, ['check', 'rules', CLUSTER_RULE_FILE], { [CLUSTER_RULE_FILE]: renderClusterRuleFile(input)[CLUSTER_RULE_FILE] });
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
    const test = runPromtool(bin, ['test', 'rules', 'tests.yaml'], { [CLUSTER_RULE_FILE]: ruleFileForTests(input), 'tests.yaml': toYaml(unitTests(CLUSTER_RULE_FILE)) });
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
    // Every alert is covered both ways (Watchdog always fires: its "not firing" is when alerting is off).
    const cases = (unitTests(CLUSTER_RULE_FILE) as { tests: Array<{ alert_rule_test?: Case[] }> }).tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of MIXIN_ALERTS) {
      const mine = cases.filter((c) => c.alertname === name);
      expect([name, mine.some((c) => c.exp_alerts.length > 0), name === 'Watchdog' || mine.some((c) => c.exp_alerts.length === 0)]).toEqual([name, true, true]);
    }
  });

  it('promtool test rules fails when a threshold stops an expected alert (the check can fail)', () => {
    const bin = promtool();
    if (bin === undefined) return;
    const broken = ruleFileForTests(input).replace('> 0.9', '> 0.99');
    // Only the unit tests of the alert the threshold belongs to: the others pass either way.
    const all = unitTests(CLUSTER_RULE_FILE) as { tests: Array<{ alert_rule_test?: Case[] }> };
    const tests = all.tests.filter((t) => (t.alert_rule_test ?? []).some((c) => c.alertname === 'NodeMemoryHighUtilization'));
    expect(tests.length).toBeGreaterThan(0);
    const test = runPromtool(bin, ['test', 'rules', 'tests.yaml'], { [CLUSTER_RULE_FILE]: broken, 'tests.yaml': toYaml({ ...all, tests }) });
    expect(test.status).not.toBe(0);
    expect(test.output).toContain('NodeMemoryHighUtilization');
  });
});
