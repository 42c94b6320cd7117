/**
 * The one list of the stack's components, in build order: the namespaces first, Prometheus after every
 * component it scrapes, the NetworkPolicies last (they read every wire and workload), the config sections
 * the components own, and their names and endpoints. A new component is its folder plus, here, its imports
 * and a line in `COMPONENTS`, `COMPONENT_CONFIG`, `ComponentName`, `ENDPOINTS` (or
 * `CLUSTER_MONITORING_ENDPOINTS`), `HELM_INSTALL_ORDER` if it has a chart of its own, and its config type
 * among the exports at the end; a chart's known limits are measured again with `npm run helm:differences`.
 */
import type { StackConfig } from '../config/types';
import { type BuiltEndpoints, buildEndpointTable } from '../lib/endpoints';
import { type ChartKeyOf, type StackComponent, configSection } from './component';
import { ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES, alertmanagerSchema } from './alertmanager/config';
import { ALERTS_DEFAULTS, ALERTS_PROFILES, alertsSchema } from '../config/alerts';
import { ALLOY_DEFAULTS, ALLOY_PROFILES, alloySchema } from './alloy/config';
import { CADVISOR_DEFAULTS, CADVISOR_PROFILES, cadvisorSchema } from './cadvisor/config';
import { DEMO_DEFAULTS, DEMO_PROFILES, demoNeeds, demoSchema } from './demo/config';
import { GRAFANA_DEFAULTS, GRAFANA_PROFILES, grafanaSchema } from './grafana/config';
import { KAFKA_DEFAULTS, KAFKA_PROFILES, kafkaSchema } from './kafka/config';
import { KUBE_STATE_METRICS_DEFAULTS, KUBE_STATE_METRICS_PROFILES, kubeStateMetricsSchema } from './kube-state-metrics/config';
import { KUBERNETES_TARGETS_DEFAULTS, KUBERNETES_TARGETS_PROFILES, kubernetesTargetsSchema } from './kubernetes/config';
import { LOG_AGENT_DEFAULT, LOG_AGENT_PROFILES, logAgentSchema } from './log-pipeline/config';
import { LOKI_DEFAULTS, LOKI_PLACEHOLDERS, LOKI_PROFILES, lokiSchema } from './loki/config';
import { NODE_EXPORTER_DEFAULTS, NODE_EXPORTER_PROFILES, nodeExporterSchema } from './node-exporter/config';
import { OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES, otlpGatewaySchema } from './otlp-gateway/config';
import { PROMETHEUS_DEFAULTS, PROMETHEUS_PROFILES, prometheusSchema } from './prometheus/config';
import { PROMTAIL_DEFAULTS, PROMTAIL_PROFILES, promtailSchema } from './promtail/config';
import { TEMPO_DEFAULTS, TEMPO_PLACEHOLDERS, TEMPO_PROFILES, tempoSchema } from './tempo/config';
import { ALERTMANAGER_ENDPOINTS, type AlertmanagerName } from './alertmanager/endpoints';
import { ALLOY_ENDPOINTS, type AlloyName } from './alloy/endpoints';
import { CADVISOR_ENDPOINTS, type CadvisorName } from './cadvisor/endpoints';
import { DEMO_ENDPOINTS, type DemoName } from './demo/endpoints';
import { GRAFANA_ENDPOINTS, type GrafanaName } from './grafana/endpoints';
import { KAFKA_ENDPOINTS, type KafkaName } from './kafka/endpoints';
import { KUBE_STATE_METRICS_ENDPOINTS, type KubeStateMetricsName } from './kube-state-metrics/endpoints';
import { KUBERNETES_ENDPOINTS, type KubernetesName } from './kubernetes/endpoints';
import { LOKI_ENDPOINTS, type LokiName } from './loki/endpoints';
import { NODE_EXPORTER_ENDPOINTS, type NodeExporterName } from './node-exporter/endpoints';
import { OTLP_GATEWAY_ENDPOINTS, type OtlpGatewayName } from './otlp-gateway/endpoints';
import { PROMETHEUS_ENDPOINTS, type PrometheusName } from './prometheus/endpoints';
import { PROMTAIL_ENDPOINTS, type PromtailName } from './promtail/endpoints';
import { TEMPO_ENDPOINTS, type TempoName } from './tempo/endpoints';
import { alertmanager } from './alertmanager';
import { alloy } from './alloy';
import { cadvisor } from './cadvisor';
import { demo } from './demo';
import { grafana } from './grafana';
import { kafka } from './kafka';
import { kubeStateMetrics } from './kube-state-metrics';
import { kubernetes } from './kubernetes';
import { loki } from './loki';
import { namespaces } from './namespaces';
import { networkPolicies } from './network-policies';
import { nodeExporter } from './node-exporter';
import { otlpGateway } from './otlp-gateway';
import { prometheus } from './prometheus';
import { promtail } from './promtail';
import { tempo } from './tempo';

const COMPONENTS = [
  namespaces, cadvisor, loki, alloy, promtail, tempo, kafka, demo, grafana,
  nodeExporter, kubeStateMetrics, kubernetes, // cluster monitoring
  alertmanager, otlpGateway,
  prometheus, networkPolicies,
] as const;

/** The keys of the Helm charts the components are released with (each component's `helm.release`). */
export type ChartKey = ChartKeyOf<(typeof COMPONENTS)[number]>;

export const REGISTRY: readonly StackComponent<ChartKey>[] = COMPONENTS;

/**
 * The Helm path's install order, by chart key: Prometheus first, storage before its writers, Grafana last.
 * Every chart a component is released with, once (`src/outputs/helm/charts.ts` checks).
 */
export const HELM_INSTALL_ORDER: readonly ChartKey[] = ['prometheus', 'cadvisor', 'loki', 'promtail', 'alloy', 'tempo', 'otlp-gateway', 'grafana'];

/**
 * The config sections in the order the config lists them: each one's schema, defaults and what each profile
 * changes (`<name>/config.ts`; `alerts` is `src/config/alerts.ts`, `logAgent` the log agents' shared
 * `log-pipeline/config.ts`). `src/config/` adds the stack-wide sections, `networkPolicy` last (its schema is
 * `network-policies/config.ts`).
 */
export const COMPONENT_CONFIG = {
  prometheus: configSection(prometheusSchema, PROMETHEUS_DEFAULTS, PROMETHEUS_PROFILES),
  cadvisor: configSection(cadvisorSchema, CADVISOR_DEFAULTS, CADVISOR_PROFILES),
  loki: configSection(lokiSchema, LOKI_DEFAULTS, LOKI_PROFILES, LOKI_PLACEHOLDERS),
  logAgent: configSection(logAgentSchema, LOG_AGENT_DEFAULT, LOG_AGENT_PROFILES),
  promtail: configSection(promtailSchema, PROMTAIL_DEFAULTS, PROMTAIL_PROFILES),
  alloy: configSection(alloySchema, ALLOY_DEFAULTS, ALLOY_PROFILES),
  tempo: configSection(tempoSchema, TEMPO_DEFAULTS, TEMPO_PROFILES, TEMPO_PLACEHOLDERS),
  grafana: configSection(grafanaSchema, GRAFANA_DEFAULTS, GRAFANA_PROFILES),
  alerts: configSection(alertsSchema, ALERTS_DEFAULTS, ALERTS_PROFILES),
  demo: configSection(demoSchema, DEMO_DEFAULTS, DEMO_PROFILES),
  kafka: configSection(kafkaSchema, KAFKA_DEFAULTS, KAFKA_PROFILES),
  nodeExporter: configSection(nodeExporterSchema, NODE_EXPORTER_DEFAULTS, NODE_EXPORTER_PROFILES),
  kubeStateMetrics: configSection(kubeStateMetricsSchema, KUBE_STATE_METRICS_DEFAULTS, KUBE_STATE_METRICS_PROFILES),
  kubernetes: configSection(kubernetesTargetsSchema, KUBERNETES_TARGETS_DEFAULTS, KUBERNETES_TARGETS_PROFILES),
  alertmanager: configSection(alertmanagerSchema, ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES),
  otlpGateway: configSection(otlpGatewaySchema, OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES),
} as const;

/** Checks across sections, run on the whole config after each section passed its own schema. */
export const CONFIG_CHECKS = [demoNeeds] as const;

/**
 * A component's name in wires and selectors (`app.kubernetes.io/name`): each component declares its own in
 * `<name>/endpoints.ts`, the cluster parts the stack scrapes included (`kubernetes`).
 */
export type ComponentName =
  | PrometheusName | CadvisorName | LokiName | PromtailName | AlloyName | TempoName | GrafanaName | DemoName | KafkaName
  | NodeExporterName | KubeStateMetricsName | KubernetesName | AlertmanagerName | OtlpGatewayName;

/** The builders of the stack's endpoints, by key (`<name>/endpoints.ts`), in the order `Endpoints` lists them. */
export const ENDPOINTS = {
  ...PROMETHEUS_ENDPOINTS, ...CADVISOR_ENDPOINTS, ...LOKI_ENDPOINTS, ...PROMTAIL_ENDPOINTS, ...ALLOY_ENDPOINTS, ...TEMPO_ENDPOINTS,
  ...GRAFANA_ENDPOINTS, ...DEMO_ENDPOINTS, ...KAFKA_ENDPOINTS, ...ALERTMANAGER_ENDPOINTS, ...OTLP_GATEWAY_ENDPOINTS,
} as const;

/** The builders of cluster monitoring's endpoints: the stack's two exporters and the cluster parts it scrapes. */
export const CLUSTER_MONITORING_ENDPOINTS = { ...NODE_EXPORTER_ENDPOINTS, ...KUBE_STATE_METRICS_ENDPOINTS, ...KUBERNETES_ENDPOINTS } as const;

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
