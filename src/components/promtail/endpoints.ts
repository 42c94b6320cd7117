/** Promtail's endpoint: its HTTP server (metrics, readiness). */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export type PromtailName = 'promtail';

export type PromtailEndpoints = {
  readonly http: Endpoint;
};

export function promtailEndpoints(cfg: StackConfig): PromtailEndpoints {
  return { http: endpoint('promtail', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.promtail.ports.http) };
}

export const PROMTAIL_ENDPOINTS = { promtail: promtailEndpoints } as const satisfies EndpointBuilders;
