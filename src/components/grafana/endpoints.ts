/** Grafana's endpoint: its HTTP server; and the UIDs of the datasources it provisions, which dashboards point at. */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, endpoint } from '../../lib/endpoints';

export type GrafanaName = 'grafana';

export const GRAFANA_ENDPOINTS = {
  grafana: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('grafana', cfg.common.namespace, 'http', cfg.grafana.ports.http) }),
} as const satisfies EndpointBuilders;

/** Fixed datasource UIDs, so dashboards and correlations can point at them before Grafana starts. */
export const DATASOURCE_UIDS = { prometheus: 'prometheus', loki: 'loki', tempo: 'tempo' } as const;
