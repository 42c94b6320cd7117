/** Prometheus's endpoints: its Service, and the URLs other components write to. */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';
import type { WiredEndpoint } from '../../lib/wiring';
import type { DatasourceIdentity } from '../../lib/datasources';

export const PROMETHEUS_NAMES = ['prometheus'] as const;
export type PrometheusName = (typeof PROMETHEUS_NAMES)[number];

export const PROMETHEUS_ENDPOINTS = {
  prometheus: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('prometheus', cfg.common.namespace, METRICS_PORT_NAME, cfg.prometheus.ports.http) }),
} as const satisfies EndpointBuilders;

/** URL paths of Prometheus's receivers. */
export const PROMETHEUS_API_PATHS = {
  /** Remote-write receiver (needs `--web.enable-remote-write-receiver`). */
  remoteWrite: '/api/v1/write',
  /** OTLP receiver (needs `--web.enable-otlp-receiver`); the signal path follows. */
  otlp: '/api/v1/otlp',
} as const;

/** Prometheus remote-write URL on the wired Prometheus endpoint. */
export function prometheusRemoteWriteUrl(prometheus: WiredEndpoint): string {
  return prometheus.url + PROMETHEUS_API_PATHS.remoteWrite;
}

/** Prometheus's OTLP base URL on the wired Prometheus endpoint (OTLP senders append `/v1/metrics`). */
export function prometheusOtlpUrl(prometheus: WiredEndpoint): string {
  return prometheus.url + PROMETHEUS_API_PATHS.otlp;
}

/** Its datasource (`src/lib/datasources.ts`): the metrics role, whose uid a long-term store takes when it serves the queries. */
export const PROMETHEUS_DATASOURCE = { role: 'metrics', uid: 'prometheus', name: 'Prometheus', type: 'prometheus' } as const satisfies DatasourceIdentity;
/** Its second datasource next to a long-term store: where the state of the stack's rules is read. */
export const LOCAL_RULES_DATASOURCE = { role: 'rules', uid: 'prometheus-local', name: 'Prometheus (local rules)', type: 'prometheus' } as const satisfies DatasourceIdentity;
