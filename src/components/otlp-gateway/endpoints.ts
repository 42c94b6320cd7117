/** The OTLP gateway's endpoints: OTLP over gRPC and HTTP, and the gateway's own HTTP server (metrics, readiness). */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const OTLP_GATEWAY_NAMES = ['otlp-gateway'] as const;
export type OtlpGatewayName = (typeof OTLP_GATEWAY_NAMES)[number];

export type OtlpGatewayEndpoints = {
  readonly grpc: Endpoint;
  readonly http: Endpoint;
  readonly metrics: Endpoint;
};

export function otlpGatewayEndpoints(cfg: StackConfig): OtlpGatewayEndpoints {
  const ns = cfg.common.namespace;
  const p = cfg.otlpGateway.ports;
  return {
    grpc: endpoint('otlp-gateway', ns, 'otlp-grpc', p.grpc, 'grpc'),
    http: endpoint('otlp-gateway', ns, 'otlp-http', p.http),
    metrics: endpoint('otlp-gateway', ns, METRICS_PORT_NAME, p.metrics),
  };
}

export const OTLP_GATEWAY_ENDPOINTS = { otlpGateway: otlpGatewayEndpoints } as const satisfies EndpointBuilders;
