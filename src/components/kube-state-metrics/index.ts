/** kube-state-metrics as a stack component: one Deployment in the main namespace with read-only RBAC. */
import { clusterMonitoringEndpoints } from '../../lib/endpoints';
import type { StackComponent } from '../component';
import { KubeStateMetrics, kubeStateMetricsScrapeTarget } from './kube-state-metrics';

export const kubeStateMetrics: StackComponent = {
  id: 'kube-state-metrics',
  enabled: (cfg) => cfg.kubeStateMetrics.enabled,
  pods: (cfg) => cfg.kubeStateMetrics.pods,
  scrapeTargets: ({ cfg }, scrape) => [kubeStateMetricsScrapeTarget(scrape(clusterMonitoringEndpoints(cfg).kubeStateMetrics.http))],
  build: ({ scope, cfg, labeler }) => {
    const eps = clusterMonitoringEndpoints(cfg).kubeStateMetrics;
    return new KubeStateMetrics(scope, 'kube-state-metrics', {
      config: cfg.kubeStateMetrics, common: cfg.common, labeler, endpoint: eps.http, telemetry: eps.telemetry,
    });
  },
};
