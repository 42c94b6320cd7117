/** Promtail's endpoint: its HTTP server (metrics, readiness). */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const PROMTAIL_NAMES = ['promtail'] as const;
export type PromtailName = (typeof PROMTAIL_NAMES)[number];

export const PROMTAIL_ENDPOINTS = {
  promtail: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('promtail', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.promtail.ports.http) }),
} as const satisfies EndpointBuilders;
