/**
 * The OTLP gateway as a stack component: any workload sends it traces, metrics and logs; it forwards
 * traces to Tempo, metrics to Prometheus's OTLP receiver and logs to Loki's OTLP endpoint.
 */
import type { StackConfig } from '../../config/types';
import { type Endpoints, lokiOtlpUrl, lokiPushEndpoint, prometheusOtlpUrl } from '../../lib/endpoints';
import type { BuildContext, StackComponent } from '../component';
import { otlpGatewayReadme } from './readme';
import type { GatewayDestinations } from './gateway-config';
import { lokiTenantHeaders } from '../loki/loki-config';
import { OtlpGateway, otlpGatewayScrapeTarget } from './gateway';

export function otlpGatewayDeployed(cfg: StackConfig): boolean {
  return cfg.otlpGateway.enabled;
}

export const otlpGateway: StackComponent = {
  id: 'otlp-gateway',
  enabled: otlpGatewayDeployed,
  pods: (cfg) => cfg.otlpGateway.pods,
  readme: { ownTelemetry: (build) => ({ signal: 'otlp', lines: otlpGatewayReadme(build.env.config, build.endpoints) }) },
  scrapeTargets: ({ endpoints }, scrape) => [otlpGatewayScrapeTarget(scrape(endpoints.otlpGateway.metrics))],
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const gw = endpoints.otlpGateway;
    wire('cluster-workloads', gw.grpc, 'otlp', 'send traces, metrics and logs (OTLP/gRPC)');
    wire('cluster-workloads', gw.http, 'otlp', 'send traces, metrics and logs (OTLP/HTTP)');
    return new OtlpGateway(scope, 'otlp-gateway', {
      config: cfg.otlpGateway, common: cfg.common, labeler, endpoints: gw, destinations: gatewayDestinations(cfg, endpoints, wire),
    });
  },
};

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
