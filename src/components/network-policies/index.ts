/** The NetworkPolicies, built last: from every wire recorded and every workload built before them. */
import { chartObjects } from '../../lib/chart-objects';
import { externalEndpoints } from '../../lib/external';
import { extraScrapeEgress } from '../prometheus';
import type { StackComponent } from '../component';
import type { StackConfig } from '../../config/types';
import { NetworkPolicies, type NetworkPolicyInput, apiClientsOf } from './network-policies';

/** What Prometheus's scraping opens beyond the wires: any pod when it scrapes annotated pods, and the extra jobs' targets. */
export function scrapeEgress(cfg: StackConfig): Pick<NetworkPolicyInput, 'annotatedPodScraper' | 'extraEgress'> {
  return {
    annotatedPodScraper: cfg.prometheus.scrapeAnnotatedPods ? 'prometheus' : undefined,
    extraEgress: [{ from: 'prometheus', rules: extraScrapeEgress(cfg.prometheus.extraScrapeConfigs) }],
  };
}

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
    ...scrapeEgress(cfg),
    clientNamespaces: cfg.demo.enabled ? { 'demo-traffic': cfg.common.namespace } : {},
  }),
};

/** What the registry assembles from this folder. */
export const registration = { component: networkPolicies } as const;
