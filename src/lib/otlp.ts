/**
 * The one mapping from OpenTelemetry resource attributes to the stack's label names, shared by every
 * path OTLP data takes: the gateway copies each attribute to its label name on metrics and logs,
 * Prometheus promotes those names to series labels (`otlp.promote_resource_attributes`), Loki turns them
 * into stream labels (`limits_config.otlp_config`), and Grafana's trace links map the same attributes to
 * the same labels (`SPAN_TAG_MAPPINGS`). Data sent over OTLP so carries `service`, `namespace`, `pod` and
 * `container` exactly like scraped metrics and agent-shipped logs.
 */
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL } from './labels';
import type { WiredEndpoint } from './wiring';

export interface OtlpAttributeLabel {
  /** OpenTelemetry resource attribute (semantic conventions). */
  readonly attribute: string;
  /** The stack's label name for it. */
  readonly label: string;
}

/** Resource attribute -> label, in the order the gateway applies them. */
export const OTLP_ATTRIBUTE_LABELS: readonly OtlpAttributeLabel[] = [
  { attribute: 'service.name', label: SERVICE_LABEL },
  { attribute: 'k8s.namespace.name', label: K8S_SIGNAL_LABELS.namespace },
  { attribute: 'k8s.pod.name', label: K8S_SIGNAL_LABELS.pod },
  { attribute: 'k8s.container.name', label: K8S_SIGNAL_LABELS.container },
];

/**
 * The resource attribute the gateway sets to `common.clusterName` on logs (scraped metrics get `cluster`
 * as an external label, agent-shipped logs from the agent's external label).
 */
export const OTLP_CLUSTER_ATTRIBUTE = CLUSTER_LABEL;

/** Loki's stream labels for OTLP logs: the mapped labels and the cluster. */
export function lokiOtlpIndexLabels(): string[] {
  return [...OTLP_ATTRIBUTE_LABELS.map((m) => m.label), OTLP_CLUSTER_ATTRIBUTE];
}

/** Prometheus's series labels for OTLP metrics (the cluster is an external label there, as for scraped series). */
export function prometheusOtlpPromotedLabels(): string[] {
  return OTLP_ATTRIBUTE_LABELS.map((m) => m.label);
}

/** OTLP/HTTP paths (exporters append them to `OTEL_EXPORTER_OTLP_ENDPOINT`). */
export const OTLP_HTTP_PATHS = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' } as const;

/** Where Prometheus (`--web.enable-otlp-receiver`) and Loki accept OTLP/HTTP; the signal path follows. */
export const OTLP_RECEIVER_BASE_PATHS = { prometheus: '/api/v1/otlp', loki: '/otlp' } as const;

/** Prometheus's OTLP receiver base URL on the wired Prometheus endpoint (exporters append `/v1/metrics`). */
export function prometheusOtlpUrl(prometheus: WiredEndpoint): string {
  return prometheus.url + OTLP_RECEIVER_BASE_PATHS.prometheus;
}

/** Loki's OTLP base URL on the wired push endpoint (`lokiPushEndpoint`; exporters append `/v1/logs`). */
export function lokiOtlpUrl(push: WiredEndpoint): string {
  return push.url + OTLP_RECEIVER_BASE_PATHS.loki;
}
