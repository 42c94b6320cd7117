/**
 * Grafana Alloy's configuration (the Alloy configuration language, formerly River) rendered from the
 * shared log-pipeline model (https://grafana.com/docs/alloy/latest/reference/components/). Pure: model in,
 * text out. The document is built as a small syntax tree (blocks, attributes, values) and printed in one
 * place, so quoting and escaping cannot differ between components.
 *
 * Pipeline: discovery.kubernetes (this node's pods) → discovery.relabel (path and labels) →
 * local.file_match (expand the glob) → loki.source.file (tail, positions under --storage.path) →
 * loki.process (CRI, JSON, labels, structured metadata) → loki.write (Loki, tenant, cluster label).
 */
import { type LogPipeline, type PipelineStage, type RelabelRule, deliveryDuration } from '../log-pipeline/log-pipeline';

/** An expression written as is: a reference to another component's export, or a function call. */
export interface AlloyExpr {
  readonly expr: string;
}
export type AlloyValue = string | number | boolean | AlloyExpr | readonly AlloyValue[] | { readonly [key: string]: AlloyValue };

export interface AlloyAttribute {
  readonly kind: 'attr';
  readonly name: string;
  readonly value: AlloyValue;
}
export interface AlloyBlock {
  readonly kind: 'block';
  /** Block name, e.g. `loki.write` or `endpoint`. */
  readonly name: string;
  /** Component label, e.g. `default` in `loki.write "default"`. */
  readonly label?: string;
  readonly body: readonly AlloyStatement[];
  /** A comment printed above the block. */
  readonly comment?: string;
}
export type AlloyStatement = AlloyAttribute | AlloyBlock;

export const expr = (e: string): AlloyExpr => ({ expr: e });
export const attr = (name: string, value: AlloyValue): AlloyAttribute => ({ kind: 'attr', name, value });
export const block = (name: string, body: AlloyStatement[], label?: string, comment?: string): AlloyBlock =>
  ({ kind: 'block', name, body, ...(label !== undefined ? { label } : {}), ...(comment !== undefined ? { comment } : {}) });

function isExpr(v: AlloyValue): v is AlloyExpr {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as AlloyExpr).expr === 'string';
}

/** An Alloy string literal: JSON's escaping (`\"`, `\\`, `\n`, `\uXXXX`) is valid Alloy escaping. */
export function alloyString(s: string): string {
  return JSON.stringify(s);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * One level of indentation: two spaces, where `alloy fmt` uses a tab. YAML writers double-quote a text that
 * holds a tab, so a tab-indented config would be a single escaped line in its ConfigMap and in the Helm
 * values; indented with spaces it is a literal block whose diff a reviewer can read.
 */
const INDENT = '  ';

function formatValue(v: AlloyValue, indent: string): string {
  if (typeof v === 'string') return alloyString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isExpr(v)) return v.expr;
  if (Array.isArray(v)) return `[${(v as readonly AlloyValue[]).map((x) => formatValue(x, indent)).join(', ')}]`;
  const entries = Object.entries(v as Record<string, AlloyValue>);
  if (entries.length === 0) return '{}';
  const inner = `${indent}${INDENT}`;
  const keyOf = (k: string) => (IDENT.test(k) ? k : alloyString(k));
  return `{\n${entries.map(([k, x]) => `${inner}${keyOf(k)} = ${formatValue(x, inner)},`).join('\n')}\n${indent}}`;
}

function formatStatements(stmts: readonly AlloyStatement[], indent: string): string[] {
  const width = Math.max(0, ...stmts.filter((s) => s.kind === 'attr').map((s) => s.name.length));
  const lines: string[] = [];
  for (const s of stmts) {
    if (s.kind === 'attr') {
      lines.push(`${indent}${s.name.padEnd(width)} = ${formatValue(s.value, indent)}`);
      continue;
    }
    if (s.comment) lines.push(...s.comment.split('\n').map((c) => `${indent}// ${c}`));
    const head = `${indent}${s.name}${s.label !== undefined ? ` ${alloyString(s.label)}` : ''}`;
    if (s.body.length === 0) lines.push(`${head} { }`);
    else lines.push(`${head} {`, ...formatStatements(s.body, `${indent}${INDENT}`), `${indent}}`);
  }
  return lines;
}

/** Prints a document: top-level blocks separated by a blank line. */
export function formatAlloy(blocks: readonly AlloyBlock[]): string {
  return `${blocks.map((b) => formatStatements([b], '').join('\n')).join('\n\n')}\n`;
}

/** Component labels, so references between blocks are spelled once. */
export const ALLOY_COMPONENTS = {
  discovery: 'pods',
  relabel: 'pod_logs',
  fileMatch: 'pod_logs',
  source: 'pod_logs',
  process: 'pod_logs',
  write: 'loki',
} as const;

function relabelRule(r: RelabelRule): AlloyBlock {
  return block('rule', [
    ...(r.sourceLabels ? [attr('source_labels', [...r.sourceLabels])] : []),
    ...(r.separator !== undefined ? [attr('separator', r.separator)] : []),
    ...(r.regex !== undefined ? [attr('regex', r.regex)] : []),
    ...(r.targetLabel !== undefined ? [attr('target_label', r.targetLabel)] : []),
    ...(r.replacement !== undefined ? [attr('replacement', r.replacement)] : []),
    attr('action', r.action),
  ], undefined, r.why);
}

function fromExtracted(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, '']));
}

function stage(s: PipelineStage): AlloyBlock {
  switch (s.kind) {
    case 'cri': return block('stage.cri', []);
    case 'json': return block('stage.json', [attr('expressions', { ...s.expressions })]);
    case 'labels': return block('stage.labels', [attr('values', fromExtracted(s.names))]);
    case 'structuredMetadata': return block('stage.structured_metadata', [attr('values', fromExtracted(s.names))]);
    case 'labelDrop': return block('stage.label_drop', [attr('values', [...s.names])]);
  }
}

export interface AlloyConfigInput {
  readonly pipeline: LogPipeline;
}

/** The Alloy document as a syntax tree (tests read it; `renderAlloyConfig` prints it). */
export function alloyConfigBlocks(input: AlloyConfigInput): AlloyBlock[] {
  const p = input.pipeline;
  const c = ALLOY_COMPONENTS;
  return [
    block('discovery.kubernetes', [
      attr('role', 'pod'),
      block('selectors', [attr('role', 'pod'), attr('field', expr(`"spec.nodeName=" + sys.env(${alloyString(p.nodeNameEnv)})`))]),
    ], c.discovery, 'Pods on this node only: the agent tails the files kubelet writes here.'),
    block('discovery.relabel', [
      attr('targets', expr(`discovery.kubernetes.${c.discovery}.targets`)),
      ...p.relabelRules.map(relabelRule),
    ], c.relabel),
    block('local.file_match', [
      attr('path_targets', expr(`discovery.relabel.${c.relabel}.output`)),
    ], c.fileMatch, 'Expands each container\'s __path__ glob into its current log files.'),
    block('loki.source.file', [
      attr('targets', expr(`local.file_match.${c.fileMatch}.targets`)),
      attr('forward_to', [expr(`loki.process.${c.process}.receiver`)]),
    ], c.source, 'Read offsets live under --storage.path (a hostPath), so a restart resumes where it stopped.'),
    block('loki.process', [
      attr('forward_to', [expr(`loki.write.${c.write}.receiver`)]),
      ...p.stages.map(stage),
    ], c.process),
    block('loki.write', [
      block('endpoint', [
        attr('url', p.pushUrl),
        ...(p.tenant !== '' ? [attr('tenant_id', p.tenant)] : []),
        // The shared delivery: retries outlast a Loki restart (Alloy's default gives up after about 8.5 minutes).
        attr('remote_timeout', deliveryDuration(p.delivery.timeoutSeconds)),
        attr('min_backoff_period', deliveryDuration(p.delivery.minBackoffSeconds)),
        attr('max_backoff_period', deliveryDuration(p.delivery.maxBackoffSeconds)),
        attr('max_backoff_retries', p.delivery.maxRetries),
      ]),
      attr('external_labels', { ...p.externalLabels }),
    ], c.write),
  ];
}

export function renderAlloyConfig(input: AlloyConfigInput): string {
  return formatAlloy(alloyConfigBlocks(input));
}
