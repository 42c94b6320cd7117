/** The OTLP gateway on the Helm path: the alloy chart again, as a Deployment (values: `helm-values.ts`). */
import { otlpGatewayEndpoints } from './endpoints';
import { type ComponentHelm, type HelmChart, onService } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { ALLOY_CHART } from '../alloy/helm';
import { otlpGatewayDeployed } from './config';
import { OTLP_GATEWAY_IDENTITY } from './gateway';
import { otlpGatewayValues } from './helm-values';

const CHART: HelmChart<'otlp-gateway'> = { ...ALLOY_CHART, key: 'otlp-gateway' };

export const otlpGatewayHelm: ComponentHelm<'otlp-gateway'> = {
  release: {
    chart: CHART,
    installed: (cfg) => otlpGatewayDeployed(cfg),
    values: ({ build, cfg, endpoints, wires, releases }) => otlpGatewayValues({
      cfg, endpoints, wires, releases, pod: manifestsPod(build, 'Deployment', OTLP_GATEWAY_IDENTITY.name),
    }),
  },
  // `nameOverride` (helm-values.ts): the manifests' pod name label.
  pod: { appName: OTLP_GATEWAY_IDENTITY.name, metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  services: (cfg) => {
    const gw = otlpGatewayEndpoints(cfg);
    return [{
      chart: 'otlp-gateway',
      // `fullnameOverride` (helm-values.ts): the manifests' Service name, whatever the release.
      name: OTLP_GATEWAY_IDENTITY.name,
      namespace: cfg.common.namespace,
      // The chart names its listen port http-metrics; the OTLP ports are `alloy.extraPorts` with the manifests' names.
      ports: [{ name: 'http-metrics', port: gw.metrics.port }, ...[gw.grpc, gw.http].map((e) => ({ name: e.portName, port: e.port }))],
      source: 'templates/service.yaml (http-metrics: alloy.listenPort; then alloy.extraPorts)',
    }];
  },
  endpoints: (cfg, base, releases) => {
    const s = otlpGatewayHelm.services(cfg, releases)[0];
    const b = base.otlpGateway;
    return { otlpGateway: { grpc: onService(b.grpc, s, b.grpc.portName), http: onService(b.http, s, b.http.portName), metrics: onService(b.metrics, s, 'http-metrics') } };
  },
  readme: {
    // The one OTLP endpoint applications send to.
    notes: ({ releases, endpoints }) => [
      `OTLP: the ${releases['otlp-gateway']} release (the alloy chart as a Deployment) is the one endpoint for traces, metrics and logs:`,
      `\`OTEL_EXPORTER_OTLP_ENDPOINT=${endpoints.otlpGateway.http.url}\` (OTLP/HTTP), or \`${endpoints.otlpGateway.grpc.url}\` with \`OTEL_EXPORTER_OTLP_PROTOCOL=grpc\`.`,
      '',
    ],
  },
};
