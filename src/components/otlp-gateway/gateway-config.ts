/**
 * The OTLP gateway's Alloy configuration (`otelcol.*` components; names and arguments as the Alloy v1.18.1
 * component reference documents them). Pure: destinations in, text out; the destinations themselves come
 * from `gatewayDestinations` (below), which records a wire to each store.
 *
 * otelcol.receiver.otlp (gRPC and HTTP) -> otelcol.processor.memory_limiter
 *   -> traces:            otelcol.processor.batch -> the traces store (OTLP/gRPC, else OTLP/HTTP)
 *   -> metrics and logs:  otelcol.processor.transform (resource attribute -> the stack's label names)
 *                         -> otelcol.processor.batch -> otelcol.exporter.otlphttp (the metrics and logs stores)
 * Each exporter retries with backoff and queues while its store is unreachable. A signal no enabled store
 * receives is not accepted at all. The stores are whichever components declare the receivers
 * (`src/lib/receivers.ts`); each exporter is labelled with its store's name.
 */
import type { StackConfig } from '../../config/types';
import { OTLP_SIGNAL_PATHS, type OtlpSignal } from '../../lib/endpoints';
import type { Endpoints } from '../registry';
import type { BuildContext } from '../component';
import { type Receiver, type ReceiverKind, stackReceiver } from '../../lib/receivers';
import { OTLP_ATTRIBUTE_LABELS, OTLP_CLUSTER_ATTRIBUTE } from '../../lib/otlp';
import { type AlloyBlock, type AlloyExpr, type AlloyStatement, attr, block, expr, formatAlloy } from '../alloy/alloy-config';
import type { OtlpGatewayConfig } from './config';

/** The receiver kinds the gateway forwards to. */
type ForwardedKind = Extract<ReceiverKind, 'metrics-otlp' | 'logs-otlp' | 'traces-otlp-grpc' | 'traces-otlp-http'>;

/** Labels of the gateway's components, so references are spelled once. */
export const GATEWAY_COMPONENTS = {
  receiver: 'default',
  memoryLimiter: 'default',
  transform: 'labels',
  batch: 'default',
} as const;

/** Items each exporter queues in memory while its store is away. */
export const GATEWAY_QUEUE_SIZE = 1000;

/** The store the gateway forwards one signal to. */
export interface GatewayDestination {
  /** The exporter's label: the store's component name. */
  readonly label: string;
  /** `otlp` (gRPC, `target` is `host:port`) or `otlphttp` (`target` is the base URL the signal path is appended to). */
  readonly exporter: 'otlp' | 'otlphttp';
  readonly target: string;
  /** On every request (the tenant of a multi-tenant store). */
  readonly headers: Readonly<Record<string, string>>;
  /** The exporter's comment. */
  readonly note: string;
}

export interface GatewayDestinations {
  /** Absent: traces are not accepted. */
  readonly traces?: GatewayDestination;
  readonly metrics: GatewayDestination;
  /** Absent: logs are not accepted. */
  readonly logs?: GatewayDestination;
  /** `common.clusterName`, set as the `cluster` resource attribute on logs. */
  readonly clusterName: string;
}

export interface GatewayConfigInput extends GatewayDestinations {
  readonly config: OtlpGatewayConfig;
  readonly grpcPort: number;
  readonly httpPort: number;
}

/** The signals the gateway forwards, given the stores that receive them. */
export function gatewaySignals(d: Partial<Record<OtlpSignal, unknown>>): OtlpSignal[] {
  return (['traces', 'metrics', 'logs'] as const).filter((s) => d[s] !== undefined);
}

/**
 * OTTL statements copying each mapped resource attribute to the stack's label name (`service.name` ->
 * `service`, ...) when the attribute is present and the label is not set yet.
 */
export function labelStatements(): string[] {
  return OTLP_ATTRIBUTE_LABELS.map(({ attribute, label }) =>
    `set(attributes["${label}"], attributes["${attribute}"]) where attributes["${attribute}"] != nil and attributes["${label}"] == nil`);
}

function input(component: string, label: string): AlloyExpr {
  return expr(`${component}.${label}.input`);
}

function output(map: Partial<Record<OtlpSignal, AlloyExpr>>): AlloyBlock {
  return block('output', (['metrics', 'logs', 'traces'] as const).filter((s) => map[s] !== undefined).map((s) => attr(s, [map[s]!])));
}

function retryAndQueue(c: OtlpGatewayConfig): AlloyStatement[] {
  return [
    block('retry_on_failure', [
      attr('enabled', true),
      attr('initial_interval', c.retry.initial_interval),
      attr('max_interval', c.retry.max_interval),
      attr('max_elapsed_time', c.retry.max_elapsed_time),
    ]),
    block('sending_queue', [attr('enabled', true), attr('queue_size', GATEWAY_QUEUE_SIZE)]),
  ];
}

/** Alloy component labels are identifiers, and two components of one kind may not share one. */
const ALLOY_LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function gatewayConfigBlocks(i: GatewayConfigInput): AlloyBlock[] {
  const c = i.config;
  const k = GATEWAY_COMPONENTS;
  const signals = gatewaySignals(i);
  const exporters = signals.map((s) => `${i[s]!.exporter} "${i[s]!.label}"`);
  const bad = signals.filter((s, n) => !ALLOY_LABEL.test(i[s]!.label) || exporters.indexOf(exporters[n]) !== n);
  if (bad.length > 0) throw new Error(`internal: the OTLP gateway's exporters for ${bad.join(', ')} need labels of their own that are identifiers: ${exporters.join(', ')}`);
  const only = (m: Record<OtlpSignal, AlloyExpr>): Partial<Record<OtlpSignal, AlloyExpr>> => Object.fromEntries(signals.map((s) => [s, m[s]]));
  const limiter = input('otelcol.processor.memory_limiter', k.memoryLimiter);
  const transform = input('otelcol.processor.transform', k.transform);
  const batch = input('otelcol.processor.batch', k.batch);
  const logs = signals.includes('logs');
  const blocks: AlloyBlock[] = [
    block('otelcol.receiver.otlp', [
      block('grpc', [attr('endpoint', `0.0.0.0:${i.grpcPort}`)]),
      block('http', [attr('endpoint', `0.0.0.0:${i.httpPort}`)]),
      output(only({ traces: limiter, metrics: limiter, logs: limiter })),
    ], k.receiver, 'One endpoint for every signal: OTLP over gRPC and HTTP.'),
    block('otelcol.processor.memory_limiter', [
      attr('check_interval', c.memoryLimiter.check_interval),
      attr('limit_percentage', c.memoryLimiter.limit_percentage),
      attr('spike_limit_percentage', c.memoryLimiter.spike_limit_percentage),
      output(only({ traces: batch, metrics: transform, logs: transform })),
    ], k.memoryLimiter, 'Refuses data (senders retry) before the pod runs out of memory.'),
    block('otelcol.processor.transform', [
      attr('error_mode', 'ignore'),
      block('metric_statements', [attr('context', 'resource'), attr('statements', labelStatements())]),
      ...(logs ? [block('log_statements', [attr('context', 'resource'), attr('statements', [
        ...labelStatements(),
        `set(attributes["${OTLP_CLUSTER_ATTRIBUTE}"], "${i.clusterName}")`,
      ])])] : []),
      output({ metrics: batch, ...(logs ? { logs: batch } : {}) }),
    ], k.transform, 'The stack\'s label names next to the OpenTelemetry attributes (src/lib/otlp.ts), so OTLP data carries the\nlabels of scraped metrics and agent-shipped logs. Traces keep their attributes: Tempo maps them itself.'),
    block('otelcol.processor.batch', [
      attr('timeout', c.batch.timeout),
      attr('send_batch_size', c.batch.send_batch_size),
      attr('send_batch_max_size', c.batch.send_batch_max_size),
      output(Object.fromEntries(signals.map((s) => [s, input(`otelcol.exporter.${i[s]!.exporter}`, i[s]!.label)]))),
    ], k.batch),
  ];
  for (const s of signals) blocks.push(exporter(s, i[s]!, c));
  return blocks;
}

/** One signal's exporter: retry and a queue, the store's headers, the signal path after an OTLP/HTTP base URL. */
function exporter(signal: OtlpSignal, d: GatewayDestination, c: OtlpGatewayConfig): AlloyBlock {
  const headers = Object.keys(d.headers).length > 0 ? [attr('headers', { ...d.headers })] : [];
  if (d.exporter === 'otlp') {
    return block('otelcol.exporter.otlp', [
      block('client', [attr('endpoint', d.target), ...headers, block('tls', [attr('insecure', true)])]),
      ...retryAndQueue(c),
    ], d.label, d.note);
  }
  return block('otelcol.exporter.otlphttp', [
    block('client', [attr('endpoint', d.target), ...headers]),
    attr(`${signal}_endpoint`, `${d.target}${OTLP_SIGNAL_PATHS[signal]}`),
    ...retryAndQueue(c),
  ], d.label, d.note);
}

export function renderGatewayConfig(i: GatewayConfigInput): string {
  return formatAlloy(gatewayConfigBlocks(i));
}

/** The receiver each signal goes to among the enabled components: traces over OTLP/gRPC where received, else OTLP/HTTP. */
export function gatewayReceivers(cfg: StackConfig, endpoints: Endpoints): Partial<Record<OtlpSignal, { readonly kind: ForwardedKind; readonly receiver: Receiver }>> {
  const find = (...kinds: ForwardedKind[]) => kinds.map((kind) => ({ kind, receiver: stackReceiver(kind, cfg, endpoints) })).find((r) => r.receiver !== undefined) as
    { kind: ForwardedKind; receiver: Receiver } | undefined;
  const found = { traces: find('traces-otlp-grpc', 'traces-otlp-http'), metrics: find('metrics-otlp'), logs: find('logs-otlp') };
  return Object.fromEntries(Object.entries(found).filter(([, r]) => r !== undefined));
}

/**
 * Where the gateway sends each signal, wiring each store it reaches (the manifests' endpoints, or the Helm
 * installation's). A metrics store is required: the gateway always accepts metrics.
 */
export function gatewayDestinations(cfg: StackConfig, endpoints: Endpoints, wire: BuildContext['wire']): GatewayDestinations {
  const receivers = gatewayReceivers(cfg, endpoints);
  const destination = (signal: OtlpSignal): GatewayDestination | undefined => {
    const found = receivers[signal];
    if (found === undefined) return undefined;
    const { kind, receiver: r } = found;
    const wired = wire('otlp-gateway', r.endpoint, 'otlp', `forwards ${signal} (${r.name})`);
    return { label: r.endpoint.component, exporter: kind === 'traces-otlp-grpc' ? 'otlp' : 'otlphttp', target: r.target(wired), headers: r.headers ?? {}, note: r.note };
  };
  const traces = destination('traces');
  const metrics = destination('metrics');
  if (metrics === undefined) throw new Error('internal: the OTLP gateway forwards metrics, but no enabled component receives OTLP metrics');
  const logs = destination('logs');
  return { ...(traces ? { traces } : {}), metrics, ...(logs ? { logs } : {}), clusterName: cfg.common.clusterName };
}
