/** What an environment's README tells application owners about sending OpenTelemetry data to the gateway. */
import type { StackConfig } from '../../config/types';
import type { Endpoints } from '../../lib/endpoints';
import { OTLP_ATTRIBUTE_LABELS, OTLP_HTTP_PATHS } from '../../lib/otlp';
import { gatewaySignals } from './gateway-config';

/** The single endpoint (both protocols) and the per-signal OTLP/HTTP endpoints the gateway serves. */
export function otlpGatewayAddresses(eps: Endpoints): { http: string; grpc: string; perSignal: Record<keyof typeof OTLP_HTTP_PATHS, string> } {
  const http = eps.otlpGateway.http.url;
  return {
    http,
    grpc: eps.otlpGateway.grpc.url,
    perSignal: { traces: http + OTLP_HTTP_PATHS.traces, metrics: http + OTLP_HTTP_PATHS.metrics, logs: http + OTLP_HTTP_PATHS.logs },
  };
}

/** README lines (Markdown) for the gateway: what to set in an application. */
export function otlpGatewayReadme(cfg: StackConfig, eps: Endpoints): string[] {
  const a = otlpGatewayAddresses(eps);
  const signals = gatewaySignals({
    tempoGrpcAddress: cfg.tempo.enabled && (cfg.tempo.receivers.otlpGrpc || cfg.tempo.receivers.otlpHttp) ? '' : undefined,
    lokiOtlpUrl: cfg.loki.enabled ? '' : undefined,
  });
  const attrs = OTLP_ATTRIBUTE_LABELS.filter((m) => m.attribute !== 'service.name');
  return [
    '## Sending telemetry from your services (OpenTelemetry)',
    '',
    `One endpoint for ${signals.join(', ')}: the OTLP gateway. Set these on any workload in the cluster:`,
    '',
    '```sh',
    `OTEL_EXPORTER_OTLP_ENDPOINT=${a.http}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    `# or gRPC: OTEL_EXPORTER_OTLP_ENDPOINT=${a.grpc} with OTEL_EXPORTER_OTLP_PROTOCOL=grpc`,
    '```',
    '',
    'SDKs and agents that take one URL per signal get the full OTLP/HTTP paths:',
    '',
    '```sh',
    ...signals.map((s) => `OTEL_EXPORTER_OTLP_${s.toUpperCase()}_ENDPOINT=${a.perSignal[s]}`),
    '```',
    '',
    'So that OTLP data carries the labels scraped metrics and agent-shipped logs have, name the service and',
    'pass the pod\'s identity from the downward API:',
    '',
    '```sh',
    'OTEL_SERVICE_NAME=<your service>                      # -> label service',
    `OTEL_RESOURCE_ATTRIBUTES=${attrs.map((m) => `${m.attribute}=$(${m.label.toUpperCase()})`).join(',')}`,
    `# ${attrs.map((m) => `${m.attribute} -> label ${m.label}`).join(', ')}; NAMESPACE and POD from fieldRef, CONTAINER by hand`,
    '```',
    '',
  ];
}

/** What the Helm path's README says about the gateway: it is a manifests-only component for now. */
export function otlpGatewayHelmNote(cfg: StackConfig): string[] {
  if (!cfg.otlpGateway.enabled) return [];
  return [
    'Not on this path: the OTLP gateway (one endpoint for traces, metrics and logs). The Helm path installs one release',
    'per chart, and the gateway would be a second release of the alloy chart; until then applications send traces to',
    'the tempo release\'s OTLP ports, metrics are scraped, and logs go through the log agent. Prometheus runs without',
    'its OTLP receiver here. Use the manifests path for the gateway.',
    '',
  ];
}
