/**
 * The cluster's own components (kubelet, API server, CoreDNS) as scrape targets. Nothing is deployed for
 * them, so the descriptor has no chart: the scraper's config and RBAC and the NetworkPolicies follow the
 * targets and their wires. The cluster dashboards and rules read these and the cluster's exporters (each
 * part rendered when the sources it reads are enabled), so they are here too.
 */
import { enabledMetricSources } from '../../lib/metrics-catalog';
import { KUBERNETES_ENDPOINTS, KUBERNETES_NAMES, kubernetesEndpoints } from './endpoints';
import { type StackComponent, configSection } from '../component';
import { clusterDashboardPaths, renderClusterDashboards } from './dashboards';
import { CLUSTER_METRIC_SOURCES } from './metrics';
import { CLUSTER_RECORDING_RULES } from './recorded-series';
import { clusterScrapeTargets } from './kubernetes';
import { clusterRules } from './rules';
import { KUBERNETES_TARGETS_DEFAULTS, KUBERNETES_TARGETS_PROFILES, kubernetesTargetsSchema } from './config';

export const kubernetes: StackComponent = {
  id: 'kubernetes',
  enabled: (cfg) => {
    const k = cfg.kubernetes;
    return k.kubelet.metrics || k.kubelet.cadvisor || k.kubelet.probes || k.apiServer.enabled || k.coredns.enabled;
  },
  metricSources: [...Object.values(CLUSTER_METRIC_SOURCES), CLUSTER_RECORDING_RULES],
  scrapeTargets: ({ cfg }, scrape) => {
    const eps = kubernetesEndpoints(cfg);
    const k = cfg.kubernetes;
    // One wire per destination: the kubelet's port serves all three of its paths.
    if (k.kubelet.metrics || k.kubelet.cadvisor || k.kubelet.probes) scrape(eps.kubelet.https);
    if (k.apiServer.enabled) scrape(eps.apiServer.https);
    if (k.coredns.enabled) scrape(eps.coredns.metrics);
    return clusterScrapeTargets(k, eps);
  },
  dashboards: ({ cfg }) => renderClusterDashboards({ sources: enabledMetricSources(cfg) }),
  ruleGroups: ({ cfg }) => clusterRules({
    alertsEnabled: cfg.alerts.enabled, sources: enabledMetricSources(cfg), runbookBaseUrl: cfg.kubernetes.runbookBaseUrl,
    downFor: cfg.alerts.thresholds.downFor, dashboardPaths: clusterDashboardPaths(),
  }),
};

/** What the registry assembles from this folder. */
export const registration = {
  component: kubernetes,
  config: { kubernetes: configSection(kubernetesTargetsSchema, KUBERNETES_TARGETS_DEFAULTS, KUBERNETES_TARGETS_PROFILES) },
  clusterEndpoints: KUBERNETES_ENDPOINTS,
  names: KUBERNETES_NAMES,
} as const;
