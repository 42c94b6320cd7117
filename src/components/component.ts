/**
 * What a component of the stack is: one folder exporting one `StackComponent`. The composition root
 * (`src/stack.ts`) iterates the registry (`registry.ts`) in two phases:
 *
 * 1. `scrapeTargets`: what the scraper (`scraper`) scrapes on this component (each recorded as a scrape wire).
 *    Rules, dashboards and the scraper's own config read the complete list, so it is collected before anything is built.
 * 2. `build`: the component's chart. Every address of another component it needs comes from `ctx.wire(...)`,
 *    which records the connection and returns a `WiredEndpoint`: URL builders and component props take only
 *    that type, so no address reaches a config file without a wire that the NetworkPolicies and the
 *    diagram know. The dashboards and rule files every component contributes to (`dashboards`,
 *    `stackHealth`, `ruleGroups`, gathered by `content.ts`) are in the context.
 *
 * A component's `endpoints.ts` is its public surface for addresses: the names it goes by in wires and
 * selectors, the builders of its endpoints, its Service names, API paths, the URL helpers and headers its
 * clients use. Code outside the folder takes addresses from that module only. Its `index.ts` exports the
 * `registration` the registry lists: the descriptor with its config sections, endpoint builders and names,
 * from which the registry assembles the config sections (`src/config/` builds `StackConfig` from them),
 * `Endpoints` and `ComponentName`. At run time
 * `endpoints.ts` loads only `src/lib/endpoints.ts` (its other imports are types). Other
 * facts a consumer reads are in the producer's `metrics.ts` (series names), `recorded-series.ts` and
 * `sizing.ts` (what its series cost the scraper); the metrics store's series budget is its `seriesBudget`.
 * A component that runs another's program reuses that folder's config writer and chart.
 */
import type { Chart } from 'cdk8s';
import type { z } from 'zod';
import type { ProfileChanges } from '../config/fields';
import type { Construct } from 'constructs';
import type { PodSettings } from '../config/pods';
import type { ProfileName, ResolvedEnvironment, StackConfig } from '../config/types';
import type { Endpoint, EndpointBuilders } from '../lib/endpoints';
import type * as k8s from '../../imports/k8s';
import type { ComponentName, Endpoints } from './registry';
import type { Labeler } from '../lib/labels';
import type { Wire, WireKind, WireLog, WireSource, WiredEndpoint } from '../lib/wiring';
import type { ScrapeTarget } from '../lib/scrape';
import type { HealthItem } from '../lib/dashboards';
import type { RuleContribution, StackJob } from '../lib/rules';
import type { ComponentHelm } from '../lib/helm';
import type { MetricSourceSpec } from '../lib/metric-source';
import type { ExternalEndpoint } from '../lib/external';
import type { SecretNeed } from '../lib/user-secrets';
import type { ComponentDatasources } from '../lib/datasources';
import type { ComponentReceivers, ComponentSends } from '../lib/receivers';
import type { SeriesBudget } from '../lib/series-budget';

/** What every phase may read. */
export interface StackFacts {
  readonly env: ResolvedEnvironment;
  readonly cfg: StackConfig;
  readonly endpoints: Endpoints;
  readonly labeler: Labeler;
}

/** Phase 2: what a component's `build` is given. */
export interface BuildContext extends StackFacts, StackContent {
  /** Where the charts go: the cdk8s App, or the user's `ObservabilityStack`. */
  readonly scope: Construct;
  /** Every scrape target collected in phase 1 (the scraper's `ownJob` not included). */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Charts built so far, in registry order (the NetworkPolicies read the workloads' pods from them). */
  readonly charts: readonly Chart[];
  /** Every wire recorded so far. */
  readonly wires: WireLog;
  /** Records a connection from `from` (a component of the stack, or a client outside it) and returns the wired endpoint. */
  wire(from: WireSource, to: Endpoint, kind: WireKind, purpose: string): WiredEndpoint;
  /** Records a scrape wire from the stack's scraper (`StackComponent.scraper`), as phase 1 does. @default purpose - "scrapes <component> metrics" */
  scrape(to: Endpoint, purpose?: string): WiredEndpoint;
}

/** What every component contributes to, read by the components that load dashboards and rules, on both paths. */
export interface StackContent {
  /** The stack's dashboards (file name -> JSON), from every component's `dashboards`. */
  dashboards(): Readonly<Record<string, string>>;
  /** The stack's rule files (file name -> YAML), from every component's `ruleGroups` and the user's. */
  ruleFiles(): Readonly<Record<string, string>>;
}

/** What dashboards and rules are computed from: the config and the scrape jobs of the stack's components. */
export interface ContentFacts {
  readonly cfg: StackConfig;
  /** The enabled components' own jobs (`ownJob`), then each collected target's job in registry order (the cluster's targets not included). */
  readonly jobs: readonly StackJob[];
}

/** What `dashboards` is given: the facts and every component's stack-health rows, in registry order. */
export interface DashboardFacts extends ContentFacts {
  readonly stackHealth: readonly HealthItem[];
}

/** What the composition root (`buildStack`) returns for one environment. */
export interface StackBuild extends StackContent {
  readonly env: ResolvedEnvironment;
  readonly endpoints: Endpoints;
  readonly wires: readonly Wire[];
  /** Component charts in registry order (namespaces first, NetworkPolicies last). */
  readonly charts: readonly Chart[];
  /** What the scraper scrapes besides its own job, in registry order. */
  readonly scrapeTargets: readonly ScrapeTarget[];
}

/** `K`: the key of the Helm chart the component is released with (`never` for none). */
export interface StackComponent<K extends string = never> {
  /** Registry key and chart id: the file name under `dist/<env>/manifests/`. */
  readonly id: string;
  /** Is the component deployed with this config? */
  enabled(cfg: StackConfig): boolean;
  /** The name it scrapes every other component's targets as: exactly one enabled component is the scraper. @default - not the scraper */
  readonly scraper?: ComponentName;
  /** The job it scrapes itself as, outside the phase-1 targets; rules and dashboards list it first. @default - none */
  readonly ownJob?: StackJob;
  /** Its `pods` settings, applied to every pod template of its chart (`src/lib/pod-settings.ts`). @default - none */
  pods?(cfg: StackConfig): PodSettings;
  /** Phase 1: the component's scrape targets. `scrape` records the wire from the scraper. @default - none */
  scrapeTargets?(facts: StackFacts, scrape: (to: Endpoint) => WiredEndpoint): readonly ScrapeTarget[];
  /**
   * Phase 2: the chart, built under `ctx.scope` with id `this.id`. Absent for a component that only names
   * scrape targets of the cluster itself (the kubelets, the API server): the stack deploys nothing for it.
   */
  build?(ctx: BuildContext): Chart;
  // Dashboards and rules are asked of every component in the registry, deployed or not: each decides from the
  // config (a dashboard may read a source that another component or the cluster provides).
  /** Dashboards about the component (file name -> JSON, built with `src/lib/dashboards.ts`). @default - none */
  dashboards?(facts: DashboardFacts): Readonly<Record<string, string>>;
  /** Rows and panels the component adds to the stack-health dashboard, in registry order. @default - none */
  stackHealth?(facts: ContentFacts): readonly HealthItem[];
  /** Recording and alerting rules about the component, each for a rule file and group (`src/lib/rules.ts`). @default - none */
  ruleGroups?(facts: ContentFacts): readonly RuleContribution[];
  /** The metrics it produces that dashboards and rules may read, by source (`src/lib/metrics-catalog.ts`). @default - none */
  readonly metricSources?: readonly MetricSourceSpec[];
  /** As the metrics store, the series its memory holds, for the components whose series land there (`src/lib/series-budget.ts`). @default - not the metrics store */
  seriesBudget?(cfg: StackConfig): SeriesBudget;
  /**
   * Its datasources (`src/lib/datasources.ts`): every identity it may provision (uids and names the user's
   * datasources may not take), and `contribute`, asked while it is enabled by the component that provisions
   * datasources, on both paths:
   * each URL from `ctx.connect` (or an external endpoint's, for a store outside the cluster), each link to
   * another datasource by role. @default - none
   */
  readonly datasources?: ComponentDatasources;
  /** What the NetworkPolicies open for it beyond its wires (`src/components/network-policies/`). @default - nothing */
  networkPolicy?(cfg: StackConfig): NetworkPolicyNeeds;
  /** What it receives from senders, by kind (`src/lib/receivers.ts`); senders ask for a kind, not a component. @default - nothing */
  readonly receivers?: ComponentReceivers;
  /** The receiver kinds it sends to (`src/lib/receivers.ts`), for a receiver that is switched on only while used. @default - none */
  readonly sends?: ComponentSends;
  /** The addresses outside the stack its pods reach (`src/lib/external.ts`). @default - none */
  externalEndpoints?(cfg: StackConfig): readonly ExternalEndpoint[];
  /** The Secrets it references that the user creates, asked deployed or not (`src/lib/user-secrets.ts`). @default - none */
  userSecrets?(cfg: StackConfig): readonly SecretNeed[];
  /** What the environment's README says of it (`src/outputs/summary.ts`). @default - its row of the components table only */
  readonly readme?: ComponentReadme;
  /** What its Helm chart cannot express, for the Helm README's differences (`src/outputs/helm/differences.ts`). @default - none */
  readonly helmChartLimits?: readonly ChartLimit[];
  /** How the Helm path runs it (`src/outputs/helm/`). @default - the Helm path does not run it */
  readonly helm?: ComponentHelm<K>;
}

/** The key of the chart a component is released with (`never` for a component without one). */
export type ChartKeyOf<C extends StackComponent<string>> = NonNullable<NonNullable<C['helm']>['release']>['chart']['key'];
/**
 * A component's parts of the environment's README. Each is asked only while the component is enabled, except
 * `capacity`, whose columns show `-` while it is off.
 */
export interface ComponentReadme {
  /** How long it keeps its data: the components table's retention column. @default - none */
  retention?(cfg: StackConfig): string;
  /** Is its data on emptyDir volumes, lost when a pod moves (warned about)? @default - it keeps no data */
  ephemeralData?(cfg: StackConfig): boolean;
  /** What a reviewer should know of it with this config. @default - none */
  warnings?(cfg: StackConfig): readonly string[];
  /** Tools the apply steps need for it besides kubectl. @default - none */
  requirements?(cfg: StackConfig): readonly string[];
  /** Apply steps it needs after the Secrets, before everything else is applied. @default - none */
  beforeApply?(cfg: StackConfig): readonly string[];
  /** The scale its limits allow: its columns of the "Sized for" table (its `sizing.ts`). @default - none */
  capacity?(cfg: StackConfig): readonly CapacityFigure[];
  /** Sections on reaching it once applied (its UI). @default - none */
  access?(build: StackBuild): readonly string[];
  /** Its part of "Send your own application's telemetry". @default - none */
  ownTelemetry?(build: StackBuild): OwnTelemetry | undefined;
}

/** One column of the "Sized for" table. */
export interface CapacityFigure {
  readonly label: string;
  readonly value: number;
}

/** How an application sends one kind of telemetry to a component; the README lists OTLP first, then metrics, logs, traces. */
export interface OwnTelemetry {
  readonly signal: 'otlp' | 'metrics' | 'logs' | 'traces';
  readonly lines: readonly string[];
}

/** Why a chart cannot follow the manifests on one pod fact. */
export interface ChartLimit {
  /** `HelmDifference.chart`: the release's chart, or the subchart that renders the workload. */
  readonly chart: string;
  /** `HelmDifference.fact`. */
  readonly fact: string;
  readonly reason: string;
}

/** What a component asks of the NetworkPolicies beyond its wires, each entry by the name that needs it. */
export interface NetworkPolicyNeeds {
  /**
   * Its names that scrape annotated pods in every namespace: those pods announce their port at scrape time
   * and change without a synth, so these get egress to every pod on every port. @default - none
   */
  readonly annotatedPodScrapers?: readonly ComponentName[];
  /** Egress rules beyond its wires (e.g. to the targets of the user's discovery jobs). @default - none */
  readonly extraEgress?: ReadonlyArray<{ readonly from: ComponentName; readonly rules: readonly k8s.NetworkPolicyEgressRule[] }>;
  /** The namespace of each of its names that is a pure client, with no endpoint of its own. @default - none */
  readonly clientNamespaces?: Readonly<Partial<Record<ComponentName, string>>>;
}

/** A check across config sections, run on the whole config once every section passed its own schema. */
export type ConfigCheck = (cfg: StackConfig, ctx: z.RefinementCtx<StackConfig>) => void;

/**
 * What a component folder registers: its descriptor and the parts the registry assembles into the config,
 * the endpoint table and the component names. `registry.ts` lists one per folder (its `registration`).
 */
export interface Registration {
  readonly component: StackComponent<string>;
  /** The config sections it owns, by key (`<name>/config.ts`). @default - none */
  readonly config?: Readonly<Record<string, ConfigSection<z.ZodType>>>;
  /** Checks across sections that involve its own. @default - none */
  readonly checks?: readonly ConfigCheck[];
  /** The builders of its endpoints, by key (`<name>/endpoints.ts`). @default - none */
  readonly endpoints?: EndpointBuilders;
  /** The builders of its cluster-monitoring endpoints (the exporters, the cluster's own parts). @default - none */
  readonly clusterEndpoints?: EndpointBuilders;
  /** The names it goes by in wires and selectors (`app.kubernetes.io/name`, `<name>/endpoints.ts`). @default - none */
  readonly names?: readonly string[];
}

/** A config section a component owns: its schema, its defaults and what each profile changes. */
export interface ConfigSection<S extends z.ZodType> {
  readonly schema: S;
  readonly defaults: z.infer<S>;
  /** @default - the profiles leave the section alone */
  readonly profiles?: ProfileChanges<z.infer<S>>;
  /**
   * Paths in the section (`objectStorage.bucket`) that a profile fills with values standing for the user's:
   * the environment README lists those still in place. @default - none
   */
  readonly placeholders?: Partial<Record<ProfileName, readonly string[]>>;
}

export function configSection<S extends z.ZodType>(
  schema: S, defaults: z.infer<S>, profiles?: ProfileChanges<z.infer<S>>, placeholders?: Partial<Record<ProfileName, readonly string[]>>,
): ConfigSection<S> {
  return { schema, defaults, profiles, ...(placeholders !== undefined ? { placeholders } : {}) };
}
