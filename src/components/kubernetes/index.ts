/**
 * The cluster's own components (kubelet, API server, CoreDNS) as scrape targets. Nothing is deployed for
 * them, so the descriptor has no chart: Prometheus's config and RBAC and the NetworkPolicies follow the
 * targets and their wires.
 */
import { clusterMonitoringEndpoints } from '../../lib/endpoints';
import type { StackComponent } from '../component';
import { CLUSTER_METRIC_SOURCES } from './metrics';
import { clusterScrapeTargets } from './kubernetes';

export const kubernetes: StackComponent = {
  id: 'kubernetes',
  enabled: (cfg) => {
    const k = cfg.kubernetes;
    return k.kubelet.metrics || k.kubelet.cadvisor || k.kubelet.probes || k.apiServer.enabled || k.coredns.enabled;
  },
  metricSources: Object.values(CLUSTER_METRIC_SOURCES),
  scrapeTargets: ({ cfg }, scrape) => {
    const eps = clusterMonitoringEndpoints(cfg);
    const k = cfg.kubernetes;
    // One wire per destination: the kubelet's port serves all three of its paths.
    if (k.kubelet.metrics || k.kubelet.cadvisor || k.kubelet.probes) scrape(eps.kubelet.https);
    if (k.apiServer.enabled) scrape(eps.apiServer.https);
    if (k.coredns.enabled) scrape(eps.coredns.metrics);
    return clusterScrapeTargets(k, eps);
  },
};
