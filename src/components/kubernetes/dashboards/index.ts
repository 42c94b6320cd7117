/**
 * The cluster dashboards, each rendered when the sources it is built on are enabled: the overview (any of
 * kube-state-metrics, the kubelets' cAdvisor, node-exporter), nodes (node-exporter), workloads
 * (kube-state-metrics), persistent volumes (kube-state-metrics or the kubelet) and the control plane (the
 * API server, CoreDNS or the kubelet). Panels inside them follow the same rule one by one.
 */
import { type dashboard, dashboardPath, dashboardRenderer } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_SOURCE_JOBS } from '../metrics';
import { CLUSTER_DASHBOARD_FILES, CLUSTER_DASHBOARD_UIDS, type ClusterDashboard } from './common';
import { controlPlaneDashboard } from './control-plane';
import { nodesDashboard } from './nodes';
import { clusterOverviewDashboard } from './overview';
import { volumesDashboard } from './volumes';
import { workloadsDashboard } from './workloads';

export { CLUSTER_DASHBOARD_FILES, CLUSTER_DASHBOARD_UIDS, type ClusterDashboard } from './common';

export interface ClusterDashboardsInput {
  /** Metric sources that are enabled (`enabledMetricSources`). */
  readonly sources: ReadonlySet<MetricSource>;
}

const any = (sources: ReadonlySet<MetricSource>, ...of: MetricSource[]) => of.some((s) => sources.has(s));

/** The cluster dashboards the enabled sources can fill, in a fixed order. */
export function renderedClusterDashboards(sources: ReadonlySet<MetricSource>): ClusterDashboard[] {
  const on: Record<ClusterDashboard, boolean> = {
    overview: any(sources, 'kube-state-metrics', 'kubelet-cadvisor', 'node-exporter'),
    nodes: sources.has('node-exporter'),
    workloads: sources.has('kube-state-metrics'),
    volumes: any(sources, 'kube-state-metrics', 'kubelet'),
    controlPlane: any(sources, 'apiserver', 'coredns', 'kubelet'),
  };
  return (Object.keys(CLUSTER_DASHBOARD_UIDS) as ClusterDashboard[]).filter((d) => on[d]);
}

/** File name -> dashboard, for the cluster dashboards that are rendered. */
export function buildClusterDashboards(input: ClusterDashboardsInput): Record<string, dashboard.Dashboard> {
  const s = input.sources;
  const rendered = renderedClusterDashboards(s);
  const build: Record<ClusterDashboard, () => dashboard.Dashboard> = {
    overview: () => clusterOverviewDashboard(s, rendered),
    nodes: () => nodesDashboard(s, rendered),
    workloads: () => workloadsDashboard(s, rendered),
    volumes: () => volumesDashboard(s, rendered),
    controlPlane: () => controlPlaneDashboard(s, rendered, (Object.entries(CLUSTER_SOURCE_JOBS) as Array<[MetricSource, string]>).filter(([src]) => s.has(src)).map(([, job]) => job)),
  };
  return Object.fromEntries(rendered.map((d) => [CLUSTER_DASHBOARD_FILES[d], build[d]()]));
}

/** File name -> JSON of the cluster dashboards that are rendered (built once per distinct input). */
export const renderClusterDashboards = dashboardRenderer(buildClusterDashboards);

/** Grafana paths of the cluster dashboards, for alert annotations. */
export function clusterDashboardPaths(): { workloads: string; nodes: string; volumes: string; controlPlane: string } {
  const u = CLUSTER_DASHBOARD_UIDS;
  return { workloads: dashboardPath(u.workloads), nodes: dashboardPath(u.nodes), volumes: dashboardPath(u.volumes), controlPlane: dashboardPath(u.controlPlane) };
}
