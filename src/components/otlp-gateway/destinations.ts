/** The gateway's destinations, shared by its chart and its Helm values. */
import type { StackConfig } from '../../config/types';
import { type Endpoints, lokiOtlpUrl, lokiPushEndpoint, prometheusOtlpUrl } from '../../lib/endpoints';
import type { BuildContext } from '../component';
import type { GatewayDestinations } from './gateway-config';
import { lokiTenantHeaders } from '../loki/loki-config';

/**
 * Where the gateway sends each signal, wiring each store it reaches (the manifests' endpoints, or the Helm
 * installation's): Tempo's OTLP/gRPC receiver, else its OTLP/HTTP one (neither on: no traces), Prometheus's
 * OTLP receiver, Loki's OTLP endpoint on its push Service.
 */
export function gatewayDestinations(cfg: StackConfig, endpoints: Endpoints, wire: BuildContext['wire']): GatewayDestinations {
  const r = cfg.tempo.receivers;
  const tempoGrpc = cfg.tempo.enabled && r.otlpGrpc ? wire('otlp-gateway', endpoints.tempo.otlpGrpc, 'otlp', 'forwards traces (OTLP/gRPC)') : undefined;
  const tempoHttp = cfg.tempo.enabled && !r.otlpGrpc && r.otlpHttp ? wire('otlp-gateway', endpoints.tempo.otlpHttp, 'otlp', 'forwards traces (OTLP/HTTP)') : undefined;
  const prometheus = wire('otlp-gateway', endpoints.prometheus.http, 'otlp', 'forwards metrics (Prometheus OTLP receiver)');
  const loki = cfg.loki.enabled ? wire('otlp-gateway', lokiPushEndpoint(endpoints), 'otlp', 'forwards logs (Loki OTLP endpoint)') : undefined;
  return {
    ...(tempoGrpc ? { tempoGrpcAddress: tempoGrpc.address } : {}),
    ...(tempoHttp ? { tempoHttpUrl: tempoHttp.url } : {}),
    prometheusOtlpUrl: prometheusOtlpUrl(prometheus),
    ...(loki ? { lokiOtlpUrl: lokiOtlpUrl(loki) } : {}),
    lokiHeaders: lokiTenantHeaders(cfg.loki.tenant),
    clusterName: cfg.common.clusterName,
  };
}
