/** Alloy's endpoint (the log agent): its HTTP server (metrics, readiness). */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const ALLOY_NAMES = ['alloy'] as const;
export type AlloyName = (typeof ALLOY_NAMES)[number];

export const ALLOY_ENDPOINTS = {
  alloy: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('alloy', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.alloy.ports.http) }),
} as const satisfies EndpointBuilders;
