/** The NetworkPolicies, built last: from every wire recorded and every workload built before them. */
import { chartObjects } from '../../lib/chart-objects';
import { externalEndpoints } from '../../lib/external';
import { extraScrapeEgress } from '../prometheus/scrape-configs';
import type { StackComponent } from '../component';
import { NetworkPolicies, apiClientsOf } from './network-policies';

export const networkPolicies: StackComponent = {
  id: 'network-policies',
  enabled: (cfg) => cfg.networkPolicy.enabled,
  build: ({ scope, cfg, labeler, endpoints, wires, charts }) => new NetworkPolicies(scope, 'network-policies', {
    wires: wires.wires,
    endpoints,
    namespace: cfg.common.namespace,
    agentNamespace: cfg.common.agentNamespace,
    labeler,
    config: cfg.networkPolicy,
    external: externalEndpoints(cfg),
    apiClients: apiClientsOf(charts.flatMap((c) => chartObjects(c))),
    annotatedPodScraper: cfg.prometheus.scrapeAnnotatedPods ? 'prometheus' : undefined,
    extraEgress: [{ from: 'prometheus', rules: extraScrapeEgress(cfg.prometheus.extraScrapeConfigs) }],
    clientNamespaces: cfg.demo.enabled ? { 'demo-traffic': cfg.common.namespace } : {},
  }),
};
