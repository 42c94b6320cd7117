/**
 * The stack's Grafana dashboards as JSON files (file name -> JSON text), for the Grafana chart's
 * `dashboards` prop (provisioned into the GRAFANA_FOLDER folder). Pure and deterministic.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { LogAgentKind, StackConfig } from '../../config/types';
import type { StackJob } from '../alerts/rules';
import { effectiveRetentionSize } from '../prometheus/retention';
import { containersDashboard } from './containers';
import { servicesDashboard } from './services-red';
import { stackHealthDashboard } from './stack-health';
import { dashboardPath } from './common';
import { enabledMetricSources } from '../../lib/metrics-catalog';
import { memoByInput } from '../../lib/memo';
import { CLUSTER_DASHBOARD_UIDS, type ClusterDashboardsInput, buildClusterDashboards } from './kubernetes';

export { DASHBOARD_UIDS, DASHBOARD_TAG, dashboardPath } from './common';
export { CLUSTER_DASHBOARD_FILES, CLUSTER_DASHBOARD_UIDS } from './kubernetes';

export interface DashboardsInput {
  /** Traces slower than this (seconds) are listed as slow on the Services dashboard. */
  readonly slowTraceSeconds: number;
  /** Scrape jobs of the deployed stack components. */
  readonly componentJobs: readonly string[];
  readonly logAgent: LogAgentKind;
  /** cAdvisor reports OOM kills (it runs privileged). */
  readonly oomEvents: boolean;
  readonly retention: { readonly prometheusTime: string; readonly prometheusSize: string; readonly loki: string; readonly tempo: string };
  /** The Containers dashboard's source of container metrics: the cAdvisor DaemonSet or the kubelets' cAdvisor. @default 'cadvisor' */
  readonly containersJob?: 'cadvisor' | 'kubelet-cadvisor';
  /** The kubelets' /metrics are scraped: the Containers dashboard shows log files on disk. @default false */
  readonly kubeletLogUsage?: boolean;
  /** Cluster monitoring (#18): the cluster dashboards, when any of their sources is enabled. @default - none */
  readonly cluster?: ClusterDashboardsInput;
}

export const DASHBOARD_FILES = {
  services: 'services-red.json',
  containers: 'containers.json',
  stackHealth: 'stack-health.json',
} as const;

/** Grafana paths of the cluster dashboards, for alert annotations. */
export function clusterDashboardPaths(): { workloads: string; nodes: string; volumes: string; controlPlane: string } {
  const u = CLUSTER_DASHBOARD_UIDS;
  return { workloads: dashboardPath(u.workloads), nodes: dashboardPath(u.nodes), volumes: dashboardPath(u.volumes), controlPlane: dashboardPath(u.controlPlane) };
}

/** The dashboards as built objects (tests inspect these). */
export function buildDashboards(input: DashboardsInput): Record<string, dashboard.Dashboard> {
  return {
    [DASHBOARD_FILES.services]: servicesDashboard({ slowTraceSeconds: input.slowTraceSeconds }),
    [DASHBOARD_FILES.containers]: containersDashboard({ oomEvents: input.oomEvents, job: input.containersJob, logUsage: input.kubeletLogUsage }),
    [DASHBOARD_FILES.stackHealth]: stackHealthDashboard({ componentJobs: input.componentJobs, logAgent: input.logAgent, retention: input.retention }),
    ...(input.cluster ? buildClusterDashboards(input.cluster) : {}),
  };
}

/** File name -> dashboard JSON, for the Grafana chart's `dashboards` prop (built once per distinct input). */
export const renderDashboards: (input: DashboardsInput) => Record<string, string> = memoByInput(
  (input: DashboardsInput) => Object.fromEntries(Object.entries(buildDashboards(input)).map(([file, d]) => [file, `${JSON.stringify(d, null, 2)}\n`])),
);

/** The stack's dashboards (file name -> JSON) for the jobs that are scraped, the same for both outputs. */
export function dashboardsFor(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  // The Containers dashboard reads one cAdvisor: the DaemonSet when it runs (as before), else the kubelets'.
  const containersJob = !cfg.cadvisor.enabled && cfg.kubernetes.kubelet.cadvisor ? 'kubelet-cadvisor' as const : 'cadvisor' as const;
  return renderDashboards({
    slowTraceSeconds: cfg.alerts.thresholds.latencyP99Seconds,
    componentJobs: componentJobs.map((j) => j.job),
    logAgent: cfg.logAgent,
    // The kubelet's cAdvisor reports OOM kills itself; the DaemonSet's only when privileged.
    oomEvents: containersJob === 'kubelet-cadvisor' || (cfg.cadvisor.enabled && cfg.cadvisor.privileged),
    containersJob,
    kubeletLogUsage: cfg.kubernetes.kubelet.metrics,
    cluster: { sources: enabledMetricSources(cfg) },
    retention: {
      prometheusTime: cfg.prometheus.retention,
      prometheusSize: effectiveRetentionSize(cfg.prometheus),
      loki: cfg.loki.retention,
      tempo: cfg.tempo.retention,
    },
  });
}
