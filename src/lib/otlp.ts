/**
 * The one mapping from OpenTelemetry resource attributes to the stack's label names, for every path OTLP
 * data takes: an OTLP forwarder copies each attribute to its label name on metrics and logs, the metrics
 * store keeps those names as series labels, the log store makes them stream labels, and the traces
 * datasource's link to logs maps the same attributes to the same labels. So data sent over OTLP carries `service`, `namespace`, `pod` and `container` exactly like scraped
 * metrics and agent-shipped logs.
 */
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL } from './labels';

export interface OtlpAttributeLabel {
  /** Resource attribute (OpenTelemetry semantic conventions). */
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

/** The label of a mapped attribute (throws for an attribute outside the mapping). */
export function otlpLabelOf(attribute: string): string {
  const m = OTLP_ATTRIBUTE_LABELS.find((x) => x.attribute === attribute);
  if (m === undefined) throw new Error(`internal: ${attribute} is not in the OTLP attribute mapping`);
  return m.label;
}

/**
 * The resource attribute the gateway sets to `common.clusterName` on logs: scraped series get `cluster` as
 * the metrics store's external label (OTLP series too), agent-shipped logs from the agent.
 */
export const OTLP_CLUSTER_ATTRIBUTE = CLUSTER_LABEL;
