/** kube-state-metrics' endpoints: the object metrics, and its own telemetry. */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const KUBE_STATE_METRICS_NAMES = ['kube-state-metrics'] as const;
export type KubeStateMetricsName = (typeof KUBE_STATE_METRICS_NAMES)[number];

export type KubeStateMetricsEndpoints = {
  readonly http: Endpoint;
  readonly telemetry: Endpoint;
};

export function kubeStateMetricsEndpoints(cfg: StackConfig): KubeStateMetricsEndpoints {
  const ns = cfg.common.namespace;
  return {
    http: endpoint('kube-state-metrics', ns, METRICS_PORT_NAME, cfg.kubeStateMetrics.port),
    telemetry: endpoint('kube-state-metrics', ns, 'http-telemetry', cfg.kubeStateMetrics.telemetryPort),
  };
}

export const KUBE_STATE_METRICS_ENDPOINTS = { kubeStateMetrics: kubeStateMetricsEndpoints } as const satisfies EndpointBuilders;
