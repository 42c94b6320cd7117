/**
 * The container-log pipeline, described once and rendered twice: into Promtail's YAML
 * (`promtail-config.ts`) and into Alloy's configuration language (`alloy-config.ts`). Both agents tail
 * the CRI log files kubelet writes under `/var/log/pods` on their own node, so the model says what to
 * discover, how to turn a discovered container into a file path and a label set, and which stages parse
 * each line. Nothing here is agent-specific: a change to the labels or the stages reaches both agents.
 *
 * Relabel rules use Prometheus relabelling semantics (both agents embed Prometheus's relabeller); stages
 * are the ones both agents implement under different spellings (`cri` / `stage.cri`, ...).
 */
import { TIMEOUTS } from '../../config/sizing';
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL, SERVICE_SOURCE_POD_LABELS, podLabelMeta } from '../../lib/labels';
import { LOG_FIELDS } from '../../lib/signals';

/** Where kubelet writes container logs: `<root>/<namespace>_<pod>_<uid>/<container>/<restart>.log`. */
export const POD_LOGS_ROOT = '/var/log/pods';

/**
 * Environment variable holding the node's name (from the downward API `spec.nodeName`). Discovery is
 * restricted to pods on that node: each agent watches only its own node's pods instead of the whole
 * cluster's, and never tails a file it cannot see.
 */
export const NODE_NAME_ENV = 'HOSTNAME';

/** Meta label every log line gets from the file it was read from; dropped (one value per pod and rotation). */
export const FILENAME_LABEL = 'filename';

/** Label the CRI stage sets from the stream field: `stdout` or `stderr`. */
export const STREAM_LABEL = 'stream';

/** Label holding the path glob a file-tailing agent reads. */
export const PATH_LABEL = '__path__';

export type RelabelAction = 'replace' | 'keep' | 'drop' | 'labeldrop';

/** One relabel rule, Prometheus relabelling semantics (defaults: separator `;`, regex `(.*)`, replacement `$1`, action `replace`). */
export interface RelabelRule {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
  readonly action: RelabelAction;
  /** Why the rule exists; rendered as a comment where the agent's format allows. */
  readonly why?: string;
}

/** The parsing stages both agents implement, in the order they run. */
export type PipelineStage =
  /** CRI format `<time> <stream> <P|F> <message>`: timestamp, `stream` label, partial lines joined. */
  | { readonly kind: 'cri' }
  /** Parse the line as JSON (lines that are not JSON pass through untouched) and extract fields. */
  | { readonly kind: 'json'; readonly expressions: Readonly<Record<string, string>> }
  /** Extracted fields that become index labels (bounded values only). */
  | { readonly kind: 'labels'; readonly names: readonly string[] }
  /** Extracted fields kept per line as structured metadata (unbounded values: never labels). */
  | { readonly kind: 'structuredMetadata'; readonly names: readonly string[] }
  /** Labels removed before the line is sent. */
  | { readonly kind: 'labelDrop'; readonly names: readonly string[] };

export interface LogPipelineInput {
  /** Becomes the `cluster` label on every stream. */
  readonly clusterName: string;
  /** Push URL of the log store: the `logs-push` receiver's target on the wired endpoint. */
  readonly pushUrl: string;
  /** Tenant the agents send (`tenant_id`); '' for a single-tenant store. */
  readonly tenant: string;
}

/**
 * How the writer delivers a batch, the same for both agents: one push attempt times out after `timeoutSeconds`,
 * a failed (or 429) push is retried with a backoff doubling from `minBackoffSeconds` to `maxBackoffSeconds`,
 * `maxRetries` times, before the batch is dropped.
 */
export interface LogDelivery {
  readonly timeoutSeconds: number;
  readonly minBackoffSeconds: number;
  readonly maxBackoffSeconds: number;
  readonly maxRetries: number;
}

/** Both agents' delivery: sized so they keep retrying through a Loki restart (src/config/sizing.ts, TIMEOUTS). */
export const LOG_DELIVERY: LogDelivery = {
  timeoutSeconds: TIMEOUTS.agentPush,
  minBackoffSeconds: TIMEOUTS.agentBackoff.minSeconds,
  maxBackoffSeconds: TIMEOUTS.agentBackoff.maxSeconds,
  maxRetries: TIMEOUTS.agentBackoff.retries,
};

/** A duration in seconds as both agents write it (`500ms`, `10s`, `1m`). */
export function deliveryDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export interface LogPipeline {
  readonly podLogsRoot: string;
  readonly nodeNameEnv: string;
  /** Rules applied to each discovered container (role `pod`): select, build `__path__`, set labels. */
  readonly relabelRules: readonly RelabelRule[];
  readonly stages: readonly PipelineStage[];
  /** Labels added to every stream by the writer. */
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly pushUrl: string;
  readonly tenant: string;
  readonly delivery: LogDelivery;
  /** Every label a stream can carry once the pipeline has run (the index labels, nothing else). */
  readonly streamLabels: readonly string[];
  /** Fields kept as structured metadata on each line. */
  readonly structuredMetadata: readonly string[];
}

/** Labels from Kubernetes discovery, the same names the scraper gives pod targets. */
export function discoveryLabelRules(): RelabelRule[] {
  // Lowest priority first: a later non-empty match overwrites an earlier one (the same rule as the scraper's).
  const serviceRules: RelabelRule[] = [...SERVICE_SOURCE_POD_LABELS].reverse().map((podLabel) => ({
    sourceLabels: [podLabelMeta(podLabel)],
    regex: '(.+)',
    targetLabel: SERVICE_LABEL,
    action: 'replace' as const,
  }));
  return [
    { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: K8S_SIGNAL_LABELS.namespace, action: 'replace' },
    { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: K8S_SIGNAL_LABELS.pod, action: 'replace' },
    { sourceLabels: ['__meta_kubernetes_pod_container_name'], targetLabel: K8S_SIGNAL_LABELS.container, action: 'replace' },
    { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: K8S_SIGNAL_LABELS.node, action: 'replace' },
    ...serviceRules,
  ];
}

/** Rules that turn a discovered container into the glob of its log files. */
export function pathRules(root: string = POD_LOGS_ROOT): RelabelRule[] {
  return [
    {
      sourceLabels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      regex: '(.+)',
      targetLabel: PATH_LABEL,
      replacement: `${root}/*$1/*.log`,
      action: 'replace',
      why: 'kubelet names the directory <namespace>_<pod>_<uid>; the uid alone identifies it',
    },
    {
      sourceLabels: ['__meta_kubernetes_pod_annotation_kubernetes_io_config_mirror', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      regex: '(.+/.+)',
      targetLabel: PATH_LABEL,
      replacement: `${root}/*$1/*.log`,
      action: 'replace',
      why: 'static pods (mirror pods) log under the config hash, not the API uid',
    },
  ];
}

/**
 * The pipeline stages: CRI, JSON fields, then `level` and the trace context as structured metadata. The
 * level is not an index label: each value would be a stream of its own (a container logging four levels to
 * two streams makes eight), which runs into Loki's per-tenant stream limit; as structured metadata it is
 * still a filter (`| level="error"`) and a grouping (`sum by (level)`), and Loki derives `detected_level` from it.
 */
export function logStages(): PipelineStage[] {
  return [
    { kind: 'cri' },
    {
      kind: 'json',
      expressions: { [LOG_FIELDS.level]: LOG_FIELDS.level, [LOG_FIELDS.traceId]: LOG_FIELDS.traceId, [LOG_FIELDS.spanId]: LOG_FIELDS.spanId },
    },
    { kind: 'structuredMetadata', names: [LOG_FIELDS.level, LOG_FIELDS.traceId, LOG_FIELDS.spanId] },
    { kind: 'labelDrop', names: [FILENAME_LABEL] },
  ];
}

/** The whole pipeline for one environment. */
export function buildLogPipeline(input: LogPipelineInput): LogPipeline {
  // Pod discovery yields one target per declared container port; both agents merge targets whose path
  // and public labels are equal, so a container is tailed once however many ports it declares.
  // Finished pods are kept on purpose: their last lines may not be read yet, and the files stay until
  // the pod is deleted.
  const relabelRules: RelabelRule[] = [...pathRules(), ...discoveryLabelRules()];
  const stages = logStages();
  const staged = stages.flatMap((s) => (s.kind === 'labels' ? s.names : s.kind === 'cri' ? [STREAM_LABEL] : []));
  return {
    podLogsRoot: POD_LOGS_ROOT,
    nodeNameEnv: NODE_NAME_ENV,
    relabelRules,
    stages,
    externalLabels: { [CLUSTER_LABEL]: input.clusterName },
    pushUrl: input.pushUrl,
    tenant: input.tenant,
    delivery: LOG_DELIVERY,
    streamLabels: [
      ...Object.values(K8S_SIGNAL_LABELS), SERVICE_LABEL, ...staged, CLUSTER_LABEL,
    ],
    structuredMetadata: stages.flatMap((s) => (s.kind === 'structuredMetadata' ? s.names : [])),
  };
}
