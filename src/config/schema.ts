/**
 * The whole StackConfig schema, assembled from the components' slices (`src/components/<name>/config.ts`)
 * and the cross-cutting sections here (common, networkPolicy, argocd, helm). One declaration gives both the
 * TypeScript types (`types.ts`) and the runtime check (`validate.ts`).
 */
import { alertsSchema } from '../components/alerts/config';
import { alertmanagerSchema } from '../components/alertmanager/config';
import { alloySchema } from '../components/alloy/config';
import { cadvisorSchema } from '../components/cadvisor/config';
import { demoSchema } from '../components/demo/config';
import { kafkaSchema } from '../components/kafka/config';
import { kubeStateMetricsSchema } from '../components/kube-state-metrics/config';
import { kubernetesTargetsSchema } from '../components/kubernetes/config';
import { nodeExporterSchema } from '../components/node-exporter/config';
import { otlpGatewaySchema } from '../components/otlp-gateway/config';
import { grafanaSchema } from '../components/grafana/config';
import { lokiSchema } from '../components/loki/config';
import { prometheusSchema } from '../components/prometheus/config';
import { promtailSchema } from '../components/promtail/config';
import { tempoSchema } from '../components/tempo/config';
import { argoCdSchema } from './argocd';
import { commonSchema } from './common';
import { flag, obj, oneOf, report } from './fields';
import { networkPolicySchema } from './network-policy';

export const logAgentSchema = oneOf(['promtail', 'alloy'], 'is not a known log agent', 'use "alloy" (maintained) or "promtail" (end of life since 2026-03-02)');

export const stackConfigSchema = obj({
  common: commonSchema,
  prometheus: prometheusSchema,
  cadvisor: cadvisorSchema,
  loki: lokiSchema,
  /** Which agent ships container logs to Loki. Promtail is end of life (March 2026); Alloy is its successor. */
  logAgent: logAgentSchema,
  promtail: promtailSchema,
  alloy: alloySchema,
  tempo: tempoSchema,
  grafana: grafanaSchema,
  alerts: alertsSchema,
  demo: demoSchema,
  kafka: kafkaSchema,
  argocd: argoCdSchema,
  /**
   * Also render `dist/<env>/helm/` (values for the official charts). Turn it off for an environment that uses
   * what only the manifests can express (e.g. `tempo.replicas` above 1).
   */
  helm: obj({ enabled: flag() }).readonly(),
  networkPolicy: networkPolicySchema,
  nodeExporter: nodeExporterSchema,
  kubeStateMetrics: kubeStateMetricsSchema,
  /** The cluster's own components Prometheus scrapes: kubelet, API server, CoreDNS. */
  kubernetes: kubernetesTargetsSchema,
  /** The in-stack Alertmanager (with `alerts.enabled`): routing, receivers, inhibition, the Watchdog. */
  alertmanager: alertmanagerSchema,
  /** One OTLP endpoint for traces, metrics and logs. */
  otlpGateway: otlpGatewaySchema,
}).superRefine((cfg, ctx) => {
  if (cfg.demo.enabled && cfg.demo.otlp === 'all' && !cfg.otlpGateway.enabled) {
    report(ctx, ['demo', 'otlp'], cfg.demo.otlp, 'needs the OTLP gateway (otlpGateway.enabled is false)', 'set otlpGateway.enabled: true, or demo.otlp: "traces"');
  }
  if (cfg.demo.enabled && !cfg.tempo.enabled) {
    report(ctx, ['demo', 'enabled'], cfg.demo.enabled, 'needs tempo.enabled (the example services export their traces to Tempo)', 'enable tempo or disable demo');
  }
  for (const key of ['namespace', 'agentNamespace'] as const) {
    if (cfg.common[key] === cfg.argocd.namespace) {
      report(ctx, ['common', key], cfg.common[key], 'is the ArgoCD namespace (argocd.namespace)', 'give the stack a namespace of its own, e.g. "observability"');
    }
  }
}).readonly();
