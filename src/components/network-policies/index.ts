/** The NetworkPolicies, built last: from every wire recorded and every workload built before them. */
import { chartObjects } from '../../lib/chart-objects';
import { externalEndpoints } from '../../lib/external';
import { registeredComponents } from '../../lib/registered-components';
import type { NetworkPolicyNeeds, StackComponent } from '../component';
import type { StackConfig } from '../../config/types';
import { NetworkPolicies, apiClientsOf } from './network-policies';

/** What the enabled components ask of the policies beyond their wires (`StackComponent.networkPolicy`), in registry order. */
export function componentNeeds(cfg: StackConfig): Required<NetworkPolicyNeeds> {
  const needs = registeredComponents().filter((c) => c.enabled(cfg)).flatMap((c) => (c.networkPolicy === undefined ? [] : [c.networkPolicy(cfg)]));
  return {
    annotatedPodScrapers: needs.flatMap((n) => n.annotatedPodScrapers ?? []),
    extraEgress: needs.flatMap((n) => n.extraEgress ?? []),
    clientNamespaces: Object.assign({}, ...needs.map((n) => n.clientNamespaces ?? {})) as Required<NetworkPolicyNeeds>['clientNamespaces'],
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
    ...componentNeeds(cfg),
  }),
};

/** What the registry assembles from this folder. */
export const registration = { component: networkPolicies } as const;
