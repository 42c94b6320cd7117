/** Grafana's endpoint: its HTTP server. */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, endpoint } from '../../lib/endpoints';

export const GRAFANA_NAMES = ['grafana'] as const;
export type GrafanaName = (typeof GRAFANA_NAMES)[number];

export const GRAFANA_ENDPOINTS = {
  grafana: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('grafana', cfg.common.namespace, 'http', cfg.grafana.ports.http) }),
} as const satisfies EndpointBuilders;
