/**
 * The Helm path's model, shared by the components' `helm` parts (`src/components/<name>/helm.ts`) and the
 * Helm outputs (`src/outputs/helm/`): pinned charts and their repositories, the Services and pod labels a
 * chart creates for a release, and what a component's `helm` part provides. Nothing here knows a component.
 */
import type { Chart } from 'cdk8s';
import type { ConfigIssue } from '../config/errors';
import type { StackConfig } from '../config/types';
import type { ChartKey } from '../components/registry';
import type { StackBuild } from '../stack';
import type { Endpoint } from './endpoints';
import type { ClusterMonitoringEndpoints, Endpoints } from '../components/registry';
import type { Labeler } from './labels';
import type { WireLog } from './wiring';

export type { ChartKey };

/** A Helm chart repository, under the local alias `helm repo add` gives it. */
export interface HelmRepository {
  readonly name: string;
  readonly url: string;
}

/**
 * The repositories several pinned charts come from; each chart's `helm.ts` says why its chart is where it
 * is (a repository with one chart of the stack is named there).
 */
export const HELM_REPOSITORIES = {
  grafanaCommunity: { name: 'grafana-community', url: 'https://grafana-community.github.io/helm-charts' },
  grafana: { name: 'grafana', url: 'https://grafana.github.io/helm-charts' },
} as const satisfies Record<string, HelmRepository>;

/** A pinned chart; the key doubles as the default release name. */
export interface HelmChart<K extends string = ChartKey> {
  readonly key: K;
  /** Chart name inside its repository (also the chart's `.Chart.Name`, used by its name templates). */
  readonly chart: string;
  readonly repository: HelmRepository;
  /** Exact chart version. */
  readonly version: string;
  /** `appVersion` of that chart version (what it would run without our image override). */
  readonly appVersion: string;
  /** Where the chart's templates live upstream (the Service facts of the `helm` parts were read from there). */
  readonly source: { readonly repo: string; readonly path: string; readonly ref: string };
  /** Set when the chart is deprecated upstream; printed in the README next to it. */
  readonly deprecated?: string;
}

/**
 * A chart released with chart-releaser from `charts/<key>` of `sourceRepo` (tags `<key>-<version>`), so the
 * version is written once per chart.
 */
export function releasedChart<K extends string>(c: Pick<HelmChart<K>, 'key' | 'repository' | 'version' | 'appVersion' | 'deprecated'> & { readonly sourceRepo: string }): HelmChart<K> {
  return {
    key: c.key, chart: c.key, repository: c.repository, version: c.version, appVersion: c.appVersion,
    source: { repo: c.sourceRepo, path: `charts/${c.key}`, ref: `${c.key}-${c.version}` },
    ...(c.deprecated !== undefined ? { deprecated: c.deprecated } : {}),
  };
}

/** `<repo alias>/<chart>`, as `helm upgrade --install` and helmfile refer to a chart. */
export function chartRef(c: HelmChart): string {
  return `${c.repository.name}/${c.chart}`;
}

/** The folder of `dist/<env>/helm/` with the objects the charts do not create. */
export const HELM_EXTRA_DIR = 'extra';

/** Release name per chart. */
export type HelmReleases = Readonly<Record<ChartKey, string>>;

/** Helm's `trunc 63 | trimSuffix "-"`. */
export function dnsTrunc(s: string): string {
  const t = s.slice(0, 63);
  return t.endsWith('-') ? t.slice(0, -1) : t;
}

/**
 * The `<chart>.fullname` template the pinned charts share (no fullnameOverride/nameOverride set): the
 * release name alone when it contains the chart name, else `<release>-<chart>`.
 */
export function chartFullname(chartName: string, release: string): string {
  return dnsTrunc(release.includes(chartName) ? release : `${release}-${chartName}`);
}

/** One Service port a chart creates. */
export interface ChartServicePort {
  readonly name: string;
  readonly port: number;
  /** The pods' port it forwards to, where that differs from `port`. */
  readonly targetPort?: number;
}

/** One Service a chart creates for a release. */
export interface ChartService {
  /** The release's chart. */
  readonly chart: ChartKey;
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly ChartServicePort[];
  /** Template the name and ports come from (relative to the chart folder). */
  readonly source: string;
}

/** Where a chart's pods expose metrics, for pod-discovery scrape jobs. */
export interface ChartPodFacts {
  /** Value of `app.kubernetes.io/name` on the chart's pods. */
  readonly appName: string;
  /** Name of the container port serving `/metrics`. */
  readonly metricsPortName: string;
  readonly metricsPath: string;
}

function servicePort(s: ChartService, name: string): ChartServicePort {
  const port = s.ports.find((x) => x.name === name);
  if (!port) throw new Error(`chart ${s.chart}: Service ${s.name} has no port ${name}`);
  return port;
}

/** `base` moved to a chart's Service port (same component and protocol; host, address and URL recomputed). */
export function onService(base: Endpoint, s: ChartService, portName: string): Endpoint {
  const { port } = servicePort(s, portName);
  const host = `${s.name}.${s.namespace}.svc`;
  return { ...base, service: s.name, namespace: s.namespace, portName, port, host, address: `${host}:${port}`, url: `http://${host}:${port}` };
}

/**
 * `base` on a chart Service's name with its own port, for a port the Service does not carry: reachable
 * pod-to-pod only, through the name of the Service that selects the pods.
 */
export function onServiceName(base: Endpoint, s: ChartService): Endpoint {
  const host = `${s.name}.${s.namespace}.svc`;
  return { ...base, service: s.name, namespace: s.namespace, host, address: `${host}:${base.port}`, url: `http://${host}:${base.port}` };
}

/** Everything a values builder may use. */
export interface ValuesContext {
  readonly build: StackBuild;
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation. */
  readonly endpoints: Endpoints;
  readonly releases: HelmReleases;
  /** The Helm installation's connections, recorded where a values builder uses another release's address. */
  readonly wires: WireLog;
  /** The pod facts of a component the Helm path runs (chart or subchart); undefined for one it does not. */
  readonly podFacts: (component: string) => ChartPodFacts | undefined;
  /** The values of a chart's subcharts that run components, by subchart name (`HelmSubchart.values`), in name order. */
  readonly subcharts: (parent: ChartKey) => Readonly<Record<string, object>>;
}

/** A component released as a chart of its own. */
export interface HelmChartRelease<K extends string> {
  readonly chart: HelmChart<K>;
  /**
   * Where it goes in the install order: `first` before every other release (the store the others write to),
   * `last` after them (the UI whose datasources point at them). @default - in registry order, between the two
   */
  readonly install?: 'first' | 'last';
  /** Is the release installed with this config? */
  installed(cfg: StackConfig): boolean;
  /** The release's values. */
  values(ctx: ValuesContext): object;
}

/** A component another component's chart renders through one of its subcharts (sharing its release). */
export interface HelmSubchart {
  /** The chart whose release renders it. */
  readonly parent: ChartKey;
  /** The subchart's `.Chart.Name`, which its fullname, Service and pod labels use. */
  readonly subchart: string;
  /** Whether the component is on (the parent's values turn the subchart on exactly then). */
  enabled(cfg: StackConfig): boolean;
  /** Its values, under its name in the parent's values (`{ enabled: false }` while the component is off). */
  values(ctx: ValuesContext): object;
}

/** What the README's opening-the-UIs section forwards to, for one component. */
export interface HelmUi {
  /** Position in the list (lower first). */
  readonly rank: number;
  readonly title: string;
  /** The Service; the forward goes to its first port. */
  readonly service: ChartService;
  /** Local port of the forward. */
  readonly local: number;
  /** Path opened in the browser. */
  readonly path: string;
}

/** What a README part is given. */
export interface HelmReadmeContext {
  readonly build: StackBuild;
  readonly cfg: StackConfig;
  readonly releases: HelmReleases;
  /** Endpoints of the Helm installation. */
  readonly endpoints: Endpoints;
  /** The installed release's namespace, when the component is a release of its own. */
  readonly namespace?: string;
}

/** The component's lines in the Helm README. @default - none of them */
export interface HelmReadme {
  /** After the release list. */
  notes?(r: HelmReadmeContext): readonly string[];
  /** Its port-forward line under "Opening the UIs". */
  ui?(r: HelmReadmeContext): HelmUi | undefined;
  /** Its name, for a component with no UI of its own (said under "Opening the UIs"). */
  readonly withoutUi?: string;
  /** What shows the data of the components without a UI, when this component is installed. */
  readonly showsWithoutUi?: string;
  /** Its file in `helm/extra/`, described in one list item. */
  readonly extra?: string;
  /** A section of its own after the differences. */
  sections?(r: HelmReadmeContext): readonly string[];
}

/** What an `helm/extra/` part is given. */
export interface HelmExtraContext {
  readonly build: StackBuild;
  readonly cfg: StackConfig;
  readonly releases: HelmReleases;
  /** The cdk8s chart to add the objects to (the file's content). */
  readonly chart: Chart;
  readonly labeler: Labeler;
  /** The pod labels of a component the Helm path runs. */
  readonly podLabels: (component: string) => Record<string, string>;
}

/**
 * A component's Helm facts: how the Helm path runs it (a chart release of its own, or a subchart of another
 * component's release), where its pods and Services are, and its endpoints on them.
 */
export interface ComponentHelm<K extends string = never> {
  /** Its own release; absent for a subchart. */
  readonly release?: HelmChartRelease<K>;
  /** The subchart that renders it inside another release; absent for a release of its own. */
  readonly subchart?: HelmSubchart;
  readonly pod: ChartPodFacts;
  /**
   * Its Services as the chart creates them for the releases: the main one first (its namespace is the
   * release's). Called only when the component runs.
   */
  services(cfg: StackConfig, releases: HelmReleases): readonly ChartService[];
  /** Its endpoints on those Services, replacing the manifests' ones in `base`. @default - the manifests' ones */
  endpoints?(cfg: StackConfig, base: Endpoints, releases: HelmReleases): Partial<Endpoints>;
  /** The same for the cluster monitoring endpoints. @default - the manifests' ones */
  clusterEndpoints?(cfg: StackConfig, base: ClusterMonitoringEndpoints, releases: HelmReleases): Partial<ClusterMonitoringEndpoints>;
  /**
   * Config the chart cannot follow (ports it hard-codes, replicas it cannot run), one issue each; `chart` is
   * the chart of the release that runs the component. @default - none
   */
  problems?(cfg: StackConfig, chart: HelmChart): readonly ConfigIssue[];
  /** Objects the chart does not create, written to `helm/extra/<file>` when installed. @default - none */
  readonly extra?: { readonly file: string; add(x: HelmExtraContext): boolean };
  readonly readme?: HelmReadme;
}
