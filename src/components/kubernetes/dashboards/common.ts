/**
 * Pieces the cluster dashboards share: their UIDs and files, the `cluster` variable every one of them has,
 * selectors that carry it, and panels that appear only when the sources they read are enabled.
 */
import { common, dashboard, dashboardLink, prom, promVariable, stackDashboardsLink, stat, table, timeseries } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_SOURCE_JOBS } from '../metrics';

/** Stable UIDs of the cluster dashboards. */
export const CLUSTER_DASHBOARD_UIDS = {
  overview: 'obs-stack-k8s-cluster',
  nodes: 'obs-stack-k8s-nodes',
  workloads: 'obs-stack-k8s-workloads',
  volumes: 'obs-stack-k8s-volumes',
  controlPlane: 'obs-stack-k8s-control-plane',
} as const;

export type ClusterDashboard = keyof typeof CLUSTER_DASHBOARD_UIDS;

export const CLUSTER_DASHBOARD_FILES: Readonly<Record<ClusterDashboard, string>> = {
  overview: 'kubernetes-cluster.json',
  nodes: 'kubernetes-nodes.json',
  workloads: 'kubernetes-workloads.json',
  volumes: 'kubernetes-volumes.json',
  controlPlane: 'kubernetes-control-plane.json',
};

const TITLES: Readonly<Record<ClusterDashboard, [string, string]>> = {
  overview: ['Cluster overview', 'Nodes, pods, capacity and what is failing, for the whole cluster'],
  nodes: ['Nodes', 'CPU, memory, pressure, disks, filesystems and network per node'],
  workloads: ['Workloads', 'Namespace -> workload -> pod: replicas, usage, restarts, probes'],
  volumes: ['Persistent volumes', 'Claims, their usage and phase'],
  controlPlane: ['API server and control plane', 'API server, CoreDNS and the kubelets'],
};

/** The scrape jobs the cluster dashboards select where a metric name has more than one source. */
export const JOBS = {
  kubeletCadvisor: CLUSTER_SOURCE_JOBS['kubelet-cadvisor'], apiServer: CLUSTER_SOURCE_JOBS.apiserver,
  coredns: CLUSTER_SOURCE_JOBS.coredns, kubelet: CLUSTER_SOURCE_JOBS.kubelet,
} as const;

/** The matcher every cluster query carries: the `cluster` variable ("All" matches series without the label). */
export const CLUSTER = 'cluster=~"$cluster"';

/** `{cluster=~"$cluster", ...}`. */
export function sel(...matchers: string[]): string {
  return `{${[CLUSTER, ...matchers].join(', ')}}`;
}

/**
 * The `cluster` variable: the values of the `cluster` label (the external label, present where the metrics
 * are read from a long-term store that holds several clusters). "All" is `.*`, which also matches series that
 * have no `cluster` label, as in the stack's own metrics store.
 */
export function clusterVariable(): dashboard.QueryVariableBuilder {
  return promVariable('cluster', 'Cluster', 'label_values(up, cluster)', { includeAll: true });
}

/** Links to the other cluster dashboards that are rendered, and the stack's dropdown. */
export function clusterLinks(b: dashboard.DashboardBuilder, self: ClusterDashboard, rendered: readonly ClusterDashboard[]): void {
  for (const d of rendered) {
    if (d !== self) b.link(dashboardLink(TITLES[d][0], CLUSTER_DASHBOARD_UIDS[d], TITLES[d][1]));
  }
  b.link(stackDashboardsLink());
}

export function clusterDashboardTitle(d: ClusterDashboard): string {
  return TITLES[d][0];
}

/** Whether every source is enabled. */
export function hasAll(sources: ReadonlySet<MetricSource>, ...needed: MetricSource[]): boolean {
  return needed.every((s) => sources.has(s));
}

/** One query of a panel and the sources it reads. */
export interface SourcedQuery {
  readonly needs: readonly MetricSource[];
  readonly expr: string;
  readonly legend: string;
}

/** Adds the queries whose sources are enabled; returns how many. */
export function withQueries(panel: timeseries.PanelBuilder | stat.PanelBuilder | table.PanelBuilder, sources: ReadonlySet<MetricSource>,
  queries: readonly SourcedQuery[], instant = false): number {
  let n = 0;
  for (const q of queries) {
    if (!hasAll(sources, ...q.needs)) continue;
    panel.withTarget(prom(q.expr, q.legend, { instant }));
    n++;
  }
  return n;
}

/** A single-value panel: the last value of each query, with its legend. */
export function statPanel(title: string, description: string, unit: string, w = 6, h = 4): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .unit(unit)
    .span(w)
    .height(h)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area)
    .textMode(common.BigValueTextMode.ValueAndName)
    .justifyMode(common.BigValueJustifyMode.Auto);
}

/** A table of instant queries merged on their common labels (Time and the raw value columns hidden or renamed). */
export function instantTable(title: string, description: string, renames: Readonly<Record<string, string>>, w = 12, h = 8): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(title)
    .description(description)
    .span(w)
    .height(h)
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { ...renames } } });
}

/** Dashed, unfilled series: limits, capacities, totals. */
export const DASHED = [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.fillOpacity', value: 0 }];
