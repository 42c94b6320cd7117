/**
 * The OTLP gateway as a stack component: any workload sends it traces, metrics and logs (it receives every
 * signal over OTLP, `src/lib/receivers.ts`); it forwards each signal to the store that receives it over OTLP.
 */
import { type StackComponent, configSection } from '../component';
import { OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES, otlpGatewayDeployed, otlpGatewaySchema } from './config';
import { gatewayDestinations, gatewayReceivers } from './gateway-config';
import { otlpGatewayReadme } from './readme';
import { OtlpGateway, otlpGatewayScrapeTarget } from './gateway';
import { otlpGatewayHelm } from './helm';
import { OTLP_GATEWAY_ENDPOINTS, OTLP_GATEWAY_NAMES } from './endpoints';

export { gatewayDestinations, otlpGatewayDeployed };

const NOTE = 'Traces, metrics and logs to the OTLP gateway, which forwards each signal to the store that receives it.';

export const otlpGateway: StackComponent<'otlp-gateway'> = {
  id: 'otlp-gateway',
  enabled: otlpGatewayDeployed,
  pods: (cfg) => cfg.otlpGateway.pods,
  receivers: (_cfg, { otlpGateway: gw }) => ({
    'otlp-grpc': { endpoint: gw.grpc, target: (wired) => wired.address, name: 'OTLP gateway (gRPC)', note: NOTE },
    'otlp-http': { endpoint: gw.http, target: (wired) => wired.url, name: 'OTLP gateway (HTTP)', note: NOTE },
  }),
  // Every signal some store receives, metrics always (`gatewayDestinations`).
  sends: (cfg, endpoints) => Object.values(gatewayReceivers(cfg, endpoints)).map((r) => r.kind),
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
  helm: otlpGatewayHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: otlpGateway,
  config: { otlpGateway: configSection(otlpGatewaySchema, OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES) },
  endpoints: OTLP_GATEWAY_ENDPOINTS,
  names: OTLP_GATEWAY_NAMES,
} as const;
