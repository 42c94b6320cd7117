/** Grafana's endpoint: its HTTP server. */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, endpoint } from '../../lib/endpoints';

export type GrafanaName = 'grafana';

export const GRAFANA_ENDPOINTS = {
  grafana: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('grafana', cfg.common.namespace, 'http', cfg.grafana.ports.http) }),
} as const satisfies EndpointBuilders;
