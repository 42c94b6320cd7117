/** What an environment's README tells application owners about the one OTLP endpoint. */
import type { StackConfig } from '../../config/types';
import { OTLP_SIGNAL_PATHS } from '../../lib/endpoints';
import type { Endpoints } from '../registry';
import { OTLP_ATTRIBUTE_LABELS } from '../../lib/otlp';
import { gatewayReceivers, gatewaySignals } from './gateway-config';

/** The signals the gateway of this config forwards (those an enabled store receives). */
export function otlpGatewaySignals(cfg: StackConfig, eps: Endpoints): Array<keyof typeof OTLP_SIGNAL_PATHS> {
  return gatewaySignals(gatewayReceivers(cfg, eps));
}

/** README lines (Markdown): the single endpoint, per-signal endpoints, and the attributes that become labels. */
export function otlpGatewayReadme(cfg: StackConfig, eps: Endpoints): string[] {
  const http = eps.otlpGateway.http.url;
  const signals = otlpGatewaySignals(cfg, eps);
  const k8s = OTLP_ATTRIBUTE_LABELS.filter((m) => m.attribute !== 'service.name');
  return [
    `**OpenTelemetry (${signals.join(', ')})**: one endpoint, the OTLP gateway, for every signal an SDK exports:`,
    '',
    '```sh',
    `OTEL_EXPORTER_OTLP_ENDPOINT=${http}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    `# or gRPC: OTEL_EXPORTER_OTLP_ENDPOINT=${eps.otlpGateway.grpc.url} with OTEL_EXPORTER_OTLP_PROTOCOL=grpc`,
    '# SDKs that take one URL per signal:',
    ...signals.map((s) => `OTEL_EXPORTER_OTLP_${s.toUpperCase()}_ENDPOINT=${http}${OTLP_SIGNAL_PATHS[s]}`),
    'OTEL_SERVICE_NAME=<the pod\'s app.kubernetes.io/name>                 # label service',
    `OTEL_RESOURCE_ATTRIBUTES=${k8s.map((m) => `${m.attribute}=$(${m.label.toUpperCase()})`).join(',')}`,
    `#   ${k8s.map((m) => `${m.attribute} -> label ${m.label}`).join(', ')}; NAMESPACE and POD from the downward API (fieldRef), CONTAINER written out`,
    '```',
    '',
    'The gateway turns those attributes into the `service`, `namespace`, `pod` and `container` labels of the metrics and logs, the',
    'labels scraped metrics and agent-shipped logs carry, so dashboards and the trace <-> logs links work the same for OTLP data.',
    ...(signals.includes('logs') ? ['Metrics and logs sent this way need no scrape annotation and no stdout line: send each once, one way or the other.'] : []),
    '',
  ];
}
