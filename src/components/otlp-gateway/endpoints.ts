/** The OTLP gateway's Service `otlp-gateway`: OTLP/gRPC, OTLP/HTTP, and Alloy's own HTTP server (metrics). */
import type { StackConfig } from '../../config/types';
import { METRICS_PORT_NAME, type Endpoint, type EndpointFactory } from '../../lib/endpoints';

export interface OtlpGatewayEndpoints {
  readonly grpc: Endpoint;
  readonly http: Endpoint;
  readonly metrics: Endpoint;
}

export function otlpGatewayEndpoints(cfg: StackConfig, endpoint: EndpointFactory): OtlpGatewayEndpoints {
  const ns = cfg.common.namespace;
  const p = cfg.otlpGateway.ports;
  return {
    grpc: endpoint('otlp-gateway', ns, 'otlp-grpc', p.grpc, 'grpc'),
    http: endpoint('otlp-gateway', ns, 'otlp-http', p.http, 'http'),
    metrics: endpoint('otlp-gateway', ns, METRICS_PORT_NAME, p.metrics, 'http'),
  };
}
