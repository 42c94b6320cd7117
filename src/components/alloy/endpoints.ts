/** Alloy's endpoint (the log agent): its HTTP server (metrics, readiness). */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export type AlloyName = 'alloy';

export type AlloyEndpoints = {
  readonly http: Endpoint;
};

export function alloyEndpoints(cfg: StackConfig): AlloyEndpoints {
  return { http: endpoint('alloy', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.alloy.ports.http) };
}

export const ALLOY_ENDPOINTS = { alloy: alloyEndpoints } as const satisfies EndpointBuilders;
