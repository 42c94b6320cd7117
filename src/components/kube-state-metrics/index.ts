/** kube-state-metrics as a stack component: one Deployment in the main namespace with read-only RBAC. */
import { KUBE_STATE_METRICS_ENDPOINTS, KUBE_STATE_METRICS_NAMES, kubeStateMetricsEndpoints } from './endpoints';
import { type StackComponent, configSection } from '../component';
import { KUBE_STATE_METRICS_METRICS } from './metrics';
import { KubeStateMetrics, kubeStateMetricsScrapeTarget } from './kube-state-metrics';
import { kubeStateMetricsHelm } from './helm';
import { KUBE_STATE_METRICS_DEFAULTS, KUBE_STATE_METRICS_PROFILES, kubeStateMetricsSchema } from './config';

export const kubeStateMetrics: StackComponent = {
  id: 'kube-state-metrics',
  enabled: (cfg) => cfg.kubeStateMetrics.enabled,
  metricSources: [KUBE_STATE_METRICS_METRICS],
  pods: (cfg) => cfg.kubeStateMetrics.pods,
  scrapeTargets: ({ cfg }, scrape) => [kubeStateMetricsScrapeTarget(scrape(kubeStateMetricsEndpoints(cfg).http))],
  build: ({ scope, cfg, labeler }) => {
    const eps = kubeStateMetricsEndpoints(cfg);
    return new KubeStateMetrics(scope, 'kube-state-metrics', {
      config: cfg.kubeStateMetrics, common: cfg.common, labeler, endpoint: eps.http, telemetry: eps.telemetry,
    });
  },
  // What the Helm chart cannot express, each with the template that decides it (the pinned chart version).
  helmChartLimits: [
    {
      chart: 'kube-state-metrics', fact: 'livenessProbe',
      reason: 'The kube-state-metrics subchart (charts/kube-state-metrics/templates/deployment.yaml) hard-codes the liveness path `/livez`, which asks the API server for its own `/livez`, so an unreachable API server restarts kube-state-metrics; the manifests probe `/healthz`, which answers while the process serves. The timings are the manifests\'.',
    },
  ],
  helm: kubeStateMetricsHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: kubeStateMetrics,
  config: { kubeStateMetrics: configSection(kubeStateMetricsSchema, KUBE_STATE_METRICS_DEFAULTS, KUBE_STATE_METRICS_PROFILES) },
  clusterEndpoints: KUBE_STATE_METRICS_ENDPOINTS,
  names: KUBE_STATE_METRICS_NAMES,
} as const;
