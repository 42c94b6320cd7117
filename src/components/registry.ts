/**
 * The one list of the stack's components, in build order: the namespaces first, the scraper after every
 * component it scrapes, the NetworkPolicies last (they read every wire and workload). A new component is its
 * folder plus, here, the import of its `registration` and its place in `COMPONENTS` (and its config type
 * among the exports at the end, for the library's users). Everything else is assembled from the
 * registrations: the config sections, the endpoint tables, the component names and the Helm charts.
 */
import type { StackConfig } from '../config/types';
import { type BuiltEndpoints, type EndpointBuilders, buildEndpointTable } from '../lib/endpoints';
import { type ChartKeyOf, type ConfigCheck, type ConfigSection, type Registration, type StackComponent, configSection } from './component';
import { ALERTS_DEFAULTS, ALERTS_PROFILES, alertsSchema } from '../config/alerts';
import { LOG_AGENT_DEFAULT, LOG_AGENT_PROFILES, logAgentSchema } from './log-pipeline/config';
import { registration as alertmanager } from './alertmanager';
import { registration as alloy } from './alloy';
import { registration as cadvisor } from './cadvisor';
import { registration as demo } from './demo';
import { registration as grafana } from './grafana';
import { registration as kafka } from './kafka';
import { registration as kubeStateMetrics } from './kube-state-metrics';
import { registration as kubernetes } from './kubernetes';
import { registration as loki } from './loki';
import { registration as namespaces } from './namespaces';
import { registration as networkPolicies } from './network-policies';
import { registration as nodeExporter } from './node-exporter';
import { registration as otlpGateway } from './otlp-gateway';
import { registration as prometheus } from './prometheus';
import { registration as promtail } from './promtail';
import { registration as tempo } from './tempo';

const COMPONENTS = [
  namespaces, cadvisor, loki, alloy, promtail, tempo, kafka, demo, grafana,
  nodeExporter, kubeStateMetrics, kubernetes, // cluster monitoring
  alertmanager, otlpGateway,
  prometheus, networkPolicies,
] as const;

// Each registration checked here, not where it is written: its type must not depend on StackConfig, which is assembled from it.
const REGISTRATIONS: readonly Registration[] = COMPONENTS;
type Registered = (typeof COMPONENTS)[number];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** The union of every registration's part `P`, as one object type. */
type Merged<P extends keyof Registration> = UnionToIntersection<Registered extends infer R ? (R extends { readonly [K in P]: infer V } ? V : never) : never>;

/** Every registration's part `part` in one object, in registry order; a key two registrations give is an internal error. */
function merged<P extends 'config' | 'endpoints' | 'clusterEndpoints'>(part: P): Merged<P> {
  const out: Record<string, unknown> = {};
  for (const r of REGISTRATIONS) {
    for (const [k, v] of Object.entries(r[part] ?? {})) {
      if (k in out) throw new Error(`internal: ${part} key ${k} is registered twice (component ${r.component.id})`);
      out[k] = v;
    }
  }
  return out as Merged<P>;
}

/** The keys of the Helm charts the components are released with (each component's `helm.release`). */
export type ChartKey = ChartKeyOf<Registered['component']>;

export const REGISTRY: readonly StackComponent<ChartKey>[] = COMPONENTS.map((r) => r.component);

/** Sections no single component owns: which log agent runs (`log-pipeline/config.ts`) and the alerting thresholds. */
const SHARED_SECTIONS = {
  logAgent: configSection(logAgentSchema, LOG_AGENT_DEFAULT, LOG_AGENT_PROFILES),
  alerts: configSection(alertsSchema, ALERTS_DEFAULTS, ALERTS_PROFILES),
} as const;

/**
 * The config sections the components own, in registry order, then the shared ones: each one's schema,
 * defaults and what each profile changes (`<name>/config.ts`). `src/config/` adds the stack-wide sections,
 * `networkPolicy` last (its schema is `network-policies/config.ts`).
 */
export const COMPONENT_CONFIG: Merged<'config'> & typeof SHARED_SECTIONS = withShared(merged('config'));

function withShared<S extends object>(sections: S): S & typeof SHARED_SECTIONS {
  const taken = Object.keys(SHARED_SECTIONS).filter((k) => k in sections);
  if (taken.length > 0) throw new Error(`internal: config section ${taken.join(', ')} is shared and may not be registered by a component`);
  return { ...sections, ...SHARED_SECTIONS };
}

/** Checks across sections, run on the whole config after each section passed its own schema. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = REGISTRATIONS.flatMap((r) => r.checks ?? []);

/** A component's name in wires and selectors (`app.kubernetes.io/name`), the cluster parts the stack scrapes included. */
export type ComponentName = Registered extends infer R ? (R extends { readonly names: readonly (infer N)[] } ? N : never) : never;

/** The builders of the stack's endpoints, by key (`<name>/endpoints.ts`), in registry order. */
export const ENDPOINTS: Merged<'endpoints'> = merged('endpoints');

/** The builders of cluster monitoring's endpoints: the stack's two exporters and the cluster parts it scrapes. */
export const CLUSTER_MONITORING_ENDPOINTS: Merged<'clusterEndpoints'> = merged('clusterEndpoints');

/** Every name a registration declares, with the component that declares it; a name declared twice is an internal error. */
export const COMPONENT_NAMES: ReadonlyMap<string, string> = REGISTRATIONS.reduce((names, r) => {
  for (const n of r.names ?? []) {
    if (names.has(n)) throw new Error(`internal: name ${n} is declared by components ${names.get(n)} and ${r.component.id}`);
    names.set(n, r.component.id);
  }
  return names;
}, new Map<string, string>());

/** Every endpoint of the stack for one config, by key: `eps.<key>.<port>`. */
export type Endpoints = BuiltEndpoints<typeof ENDPOINTS>;

/** Endpoints of cluster monitoring, by key. */
export type ClusterMonitoringEndpoints = BuiltEndpoints<typeof CLUSTER_MONITORING_ENDPOINTS>;

export function buildEndpoints(cfg: StackConfig): Endpoints {
  return buildEndpointTable(ENDPOINTS, cfg);
}

export function clusterMonitoringEndpoints(cfg: StackConfig): ClusterMonitoringEndpoints {
  return buildEndpointTable(CLUSTER_MONITORING_ENDPOINTS, cfg);
}

export type { ConfigSection, EndpointBuilders };
export type { AlertmanagerSpec, AlertsConfig, AlertThresholds } from '../config/alerts';
export type { AlertmanagerConfig } from './alertmanager/config';
export type { AlloyConfig } from './alloy/config';
export type { CadvisorConfig } from './cadvisor/config';
export type { DemoConfig } from './demo/config';
export type { KafkaConfig } from './kafka/config';
export type { KubeStateMetricsConfig } from './kube-state-metrics/config';
export type { KubeletTargetsConfig, KubernetesTargetsConfig } from './kubernetes/config';
export type { LogAgentKind } from './log-pipeline/config';
export type { NodeExporterConfig } from './node-exporter/config';
export type { OtlpGatewayConfig } from './otlp-gateway/config';
export type { GrafanaConfig, GrafanaIngress } from './grafana/config';
export type { DashboardSource } from './grafana/extra-dashboards';
export type { ExtraDatasourceSpec } from './grafana/extra-datasources';
export type { LokiConfig, LokiLimits, LokiTargetSpec } from './loki/config';
export type { PrometheusConfig, RelabelSpec, RemoteWriteSpec } from './prometheus/config';
export type { ExtraScrapeConfig, KubernetesSdSpec, ScrapeRelabelSpec } from './prometheus/scrape-configs';
export type { PromtailConfig } from './promtail/config';
export type { TempoConfig, TempoReceivers } from './tempo/config';
