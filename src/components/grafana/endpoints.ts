/** Grafana's endpoint: its HTTP server. */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, endpoint } from '../../lib/endpoints';

export type GrafanaName = 'grafana';

export type GrafanaEndpoints = {
  readonly http: Endpoint;
};

export function grafanaEndpoints(cfg: StackConfig): GrafanaEndpoints {
  return { http: endpoint('grafana', cfg.common.namespace, 'http', cfg.grafana.ports.http) };
}

export const GRAFANA_ENDPOINTS = { grafana: grafanaEndpoints } as const satisfies EndpointBuilders;
