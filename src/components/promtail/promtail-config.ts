/**
 * Promtail's configuration file as typed data with upstream key names
 * (https://grafana.com/docs/loki/latest/send-data/promtail/configuration/), rendered from the shared
 * log-pipeline model. Pure: model in, object out.
 */
import { type LogPipeline, type PipelineStage, type RelabelRule, deliveryDuration } from '../log-pipeline/log-pipeline';

export interface PromtailRelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop' | 'labeldrop';
}

/** One pipeline stage: a single-key map, stage name to its settings. */
export type PromtailStage =
  | { cri: { max_partial_lines?: number } }
  | { json: { expressions: Record<string, string>; drop_malformed?: boolean } }
  | { labels: Record<string, string> }
  | { structured_metadata: Record<string, string> }
  | { labeldrop: string[] };

export interface PromtailScrapeConfig {
  job_name: string;
  kubernetes_sd_configs: Array<{ role: 'pod'; selectors: Array<{ role: 'pod'; field?: string; label?: string }> }>;
  relabel_configs: PromtailRelabelConfig[];
  pipeline_stages: PromtailStage[];
}

export interface PromtailConfigFile {
  server: { http_listen_port: number; grpc_listen_port: number; log_level: string };
  positions: { filename: string; sync_period: string; ignore_invalid_yaml: boolean };
  clients: Array<{
    url: string;
    tenant_id?: string;
    external_labels: Record<string, string>;
    timeout: string;
    backoff_config: { min_period: string; max_period: string; max_retries: number };
  }>;
  target_config: { sync_period: string };
  scrape_configs: PromtailScrapeConfig[];
}

export interface PromtailConfigInput {
  readonly pipeline: LogPipeline;
  readonly httpPort: number;
  /** Path of the positions file inside the container (on a hostPath volume). */
  readonly positionsFile: string;
}

/** Job name of the pod-logs scrape config (becomes nothing in Loki: `job` is not kept as a label). */
export const PROMTAIL_JOB = 'kubernetes-pods';

/**
 * Promtail runs with `-config.expand-env=true` so the node name reaches the discovery selector. The
 * expansion (drone/envsubst) runs over the raw file before YAML parsing: `$1` in a relabel replacement
 * would be read as an (empty) variable named `1`, and `\\` collapses to `\`. Every literal string is
 * escaped (`$` → `$$`, `\` → `\\`), so the file Promtail parses is the one we rendered; only
 * `envRef()` produces a real reference.
 */
export function escapeForExpandEnv(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\$/g, '$$$$');
}

/** A reference Promtail expands from its environment at start-up. */
export function envRef(name: string): string {
  return `\${${name}}`;
}

function relabel(r: RelabelRule): PromtailRelabelConfig {
  const e = escapeForExpandEnv;
  return {
    ...(r.sourceLabels ? { source_labels: [...r.sourceLabels] } : {}),
    ...(r.separator !== undefined ? { separator: e(r.separator) } : {}),
    ...(r.regex !== undefined ? { regex: e(r.regex) } : {}),
    ...(r.targetLabel !== undefined ? { target_label: r.targetLabel } : {}),
    ...(r.replacement !== undefined ? { replacement: e(r.replacement) } : {}),
    action: r.action,
  };
}

/** Maps each extracted name to itself: `name: ''` means "from the extracted field of the same name". */
function fromExtracted(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, '']));
}

function stage(s: PipelineStage): PromtailStage {
  switch (s.kind) {
    case 'cri': return { cri: {} };
    case 'json': return { json: { expressions: { ...s.expressions } } };
    case 'labels': return { labels: fromExtracted(s.names) };
    case 'structuredMetadata': return { structured_metadata: fromExtracted(s.names) };
    case 'labelDrop': return { labeldrop: [...s.names] };
  }
}

export function renderPromtailConfig(input: PromtailConfigInput): PromtailConfigFile {
  const p = input.pipeline;
  return {
    server: { http_listen_port: input.httpPort, grpc_listen_port: 0, log_level: 'info' },
    // Positions survive restarts on the host, so a restarted Promtail resumes at the last shipped offset.
    // A positions file truncated by a node crash would otherwise stop Promtail from starting at all.
    positions: { filename: escapeForExpandEnv(input.positionsFile), sync_period: '10s', ignore_invalid_yaml: true },
    clients: [{
      url: escapeForExpandEnv(p.pushUrl),
      ...(p.tenant !== '' ? { tenant_id: escapeForExpandEnv(p.tenant) } : {}),
      external_labels: Object.fromEntries(Object.entries(p.externalLabels).map(([k, v]) => [k, escapeForExpandEnv(v)])),
      // The shared delivery: retries outlast a Loki restart before a batch is given up (the default gives up after about 8.5 minutes).
      timeout: deliveryDuration(p.delivery.timeoutSeconds),
      backoff_config: {
        min_period: deliveryDuration(p.delivery.minBackoffSeconds),
        max_period: deliveryDuration(p.delivery.maxBackoffSeconds),
        max_retries: p.delivery.maxRetries,
      },
    }],
    target_config: { sync_period: '10s' },
    scrape_configs: [{
      job_name: PROMTAIL_JOB,
      kubernetes_sd_configs: [{ role: 'pod', selectors: [{ role: 'pod', field: `spec.nodeName=${envRef(p.nodeNameEnv)}` }] }],
      relabel_configs: p.relabelRules.map(relabel),
      pipeline_stages: p.stages.map(stage),
    }],
  };
}
