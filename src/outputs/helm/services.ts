/**
 * The Service names, ports and pod labels the pinned charts really create, per release name: the Helm
 * path's counterpart of `buildEndpoints`, gathered from the components' `helm` parts (each fact was read
 * from its chart's templates at the pinned version). test/outputs/helm/rendered.test.ts checks them against
 * what helm renders (Service names, ports and targetPorts, pod labels, metrics port names).
 *
 * `helmEndpoints` returns the same `Endpoints` type as `buildEndpoints`, so the component config renderers
 * produce URLs that work inside a Helm installation without knowing which path they serve.
 */
import type { StackConfig } from '../../config/types';
import type { ConfigIssue } from '../../config/errors';
import { type ClusterMonitoringEndpoints, type Endpoints, buildEndpoints, clusterMonitoringEndpoints } from '../../components/registry';
import type { ChartKey, ChartPodFacts, ChartService, ComponentHelm, HelmReleases, HelmSubchart } from '../../lib/helm';
import { CHART_KEYS, HELM_CHARTS, HELM_COMPONENTS, type HelmComponent } from './charts';

export { chartFullname, type ChartPodFacts, type ChartService, type ChartServicePort, type HelmReleases } from '../../lib/helm';

/** Release names obs-stack uses: the chart keys, which also give the shortest Service names. */
export const DEFAULT_RELEASES: HelmReleases = Object.fromEntries(CHART_KEYS.map((k) => [k, k])) as Record<ChartKey, string>;

const BY_ID = new Map<string, ComponentHelm<ChartKey>>(HELM_COMPONENTS.map((c) => [c.id, c.helm]));

/** The `helm` part of a component the Helm path runs; undefined for one it does not. */
export function helmPart(component: string): ComponentHelm<ChartKey> | undefined {
  return BY_ID.get(component);
}

/** The subchart that renders a component; undefined for a chart's own component or one the Helm path does not run. */
export function subchartOf(component: string): HelmSubchart | undefined {
  return BY_ID.get(component)?.subchart;
}

/** The components rendered by subcharts, in registry order. */
export const SUBCHART_COMPONENTS: readonly string[] = HELM_COMPONENTS.filter((c) => c.helm.subchart !== undefined).map((c) => c.id);

/** The subchart components a config turns on (their parent chart is always installed). */
export function enabledSubcharts(cfg: StackConfig): string[] {
  return SUBCHART_COMPONENTS.filter((c) => subchartOf(c)!.enabled(cfg));
}

/** The chart key of the release that runs a component on the Helm path. */
export function chartKeyOf(h: ComponentHelm<ChartKey>): ChartKey {
  const key = h.release?.chart.key ?? h.subchart?.parent;
  if (key === undefined) throw new Error('a helm part names neither a release nor a subchart');
  return key;
}

function partOf(component: string): ComponentHelm<ChartKey> {
  const h = BY_ID.get(component);
  if (h === undefined) throw new Error(`the Helm path installs no ${component}`);
  return h;
}

/** The release that runs a component on the Helm path. */
export function releaseOf(component: string, releases: HelmReleases): string {
  return releases[chartKeyOf(partOf(component))];
}

/** The pod facts of a component on the Helm path (chart or subchart). */
export function helmPodFacts(component: string): ChartPodFacts {
  return partOf(component).pod;
}

/** The labels every pod of a component carries and its Service selects on (`app.kubernetes.io/name` and the release). */
export function helmPodLabels(component: string, releases: HelmReleases = DEFAULT_RELEASES): Record<string, string> {
  return { 'app.kubernetes.io/name': helmPodFacts(component).appName, 'app.kubernetes.io/instance': releaseOf(component, releases) };
}

/** The components of the released charts, by chart key. */
function chartComponents(): HelmComponent[] {
  return CHART_KEYS.map((k) => HELM_COMPONENTS.find((c) => c.helm.release?.chart.key === k)!);
}

/**
 * The main Service of every chart for the given releases and config (ports that the charts take from
 * values follow each component's `ports`; ports the charts hard-code are fixed).
 */
export function chartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): Readonly<Record<ChartKey, ChartService>> {
  return Object.fromEntries(chartComponents().map((c) => [chartKeyOf(c.helm), c.helm.services(cfg, releases)[0]])) as Record<ChartKey, ChartService>;
}

/** The subcharts' main Services for the components a config turns on. */
export function subchartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): Partial<Record<string, ChartService>> {
  return Object.fromEntries(enabledSubcharts(cfg).map((c) => [c, partOf(c).services(cfg, releases)[0]]));
}

/** Every Service the charts create that obs-stack's configs point at (the charts' own, the subcharts' that are on). */
export function allChartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): ChartService[] {
  return [...chartComponents().map((c) => c.id), ...enabledSubcharts(cfg)].flatMap((c) => partOf(c).services(cfg, releases));
}

/**
 * The endpoints of a Helm installation: each component's on its chart's Services. A component the charts
 * do not run (the example system, which only the manifests deploy) keeps the manifests' endpoints.
 */
export function helmEndpoints(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): Endpoints {
  const base = buildEndpoints(cfg);
  return Object.assign({}, base, ...HELM_COMPONENTS.map((c) => c.helm.endpoints?.(cfg, base, releases) ?? {})) as Endpoints;
}

/**
 * Cluster monitoring's endpoints in a Helm installation: the subcharts' that are on, on their Services (a
 * component that is off keeps the manifests' endpoint, which nothing uses); the cluster's own parts are
 * the same on both paths.
 */
export function helmClusterMonitoringEndpoints(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): ClusterMonitoringEndpoints {
  const base = clusterMonitoringEndpoints(cfg);
  return Object.assign({}, base, ...HELM_COMPONENTS.map((c) => c.helm.clusterEndpoints?.(cfg, base, releases) ?? {})) as ClusterMonitoringEndpoints;
}

/**
 * Config the charts cannot follow (ports they hard-code, replicas they cannot run): one issue each, with
 * its config path. Empty when the Helm path renders the same stack as the manifests.
 */
export function helmPortProblems(cfg: StackConfig): ConfigIssue[] {
  return HELM_COMPONENTS.flatMap((c) => c.helm.problems?.(cfg, HELM_CHARTS[chartKeyOf(c.helm)]) ?? []);
}
