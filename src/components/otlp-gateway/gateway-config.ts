/**
 * The OTLP gateway's Alloy configuration (components `otelcol.*`, checked against the Alloy v1.18.1
 * component reference). Pure: destinations in, text out.
 *
 * otelcol.receiver.otlp (gRPC and HTTP) -> otelcol.processor.memory_limiter
 *   -> traces:            otelcol.processor.batch -> otelcol.exporter.otlp (Tempo, OTLP/gRPC)
 *   -> metrics and logs:  otelcol.processor.transform (resource attribute -> the stack's label names)
 *                         -> otelcol.processor.batch -> otelcol.exporter.otlphttp (Prometheus, Loki)
 * Each exporter retries with backoff and queues while its store is unreachable.
 */
import { OTLP_ATTRIBUTE_LABELS, OTLP_CLUSTER_ATTRIBUTE, OTLP_HTTP_PATHS } from '../../lib/otlp';
import { type AlloyBlock, type AlloyStatement, attr, block, expr, formatAlloy } from '../alloy/alloy-config';
import type { OtlpGatewayConfig } from './config';

/** Labels of the gateway's components, so references are spelled once. */
export const GATEWAY_COMPONENTS = {
  receiver: 'default',
  memoryLimiter: 'default',
  transform: 'labels',
  batch: 'default',
  tempo: 'tempo',
  prometheus: 'prometheus',
  loki: 'loki',
} as const;

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

export interface GatewayConfigInput {
  readonly config: OtlpGatewayConfig;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** Tempo's OTLP/gRPC address `host:port`. */
  readonly tempoGrpcAddress?: string;
  /** Tempo's OTLP/HTTP base URL, when its gRPC receiver is off. Neither: traces are not accepted. */
  readonly tempoHttpUrl?: string;
  /** Prometheus's OTLP base URL (`.../api/v1/otlp`); the exporter appends `/v1/metrics`. */
  readonly prometheusOtlpUrl: string;
  /** Loki's OTLP base URL (`.../otlp`); absent: logs are not accepted. */
  readonly lokiOtlpUrl?: string;
  /** Headers on every Loki request (the tenant of a multi-tenant Loki). */
  readonly lokiHeaders: Readonly<Record<string, string>>;
  /** `common.clusterName`, set as the `cluster` resource attribute on logs. */
  readonly clusterName: string;
}

/** The signals the gateway forwards, given the stores that exist. */
export function gatewaySignals(input: Pick<GatewayConfigInput, 'tempoGrpcAddress' | 'tempoHttpUrl' | 'lokiOtlpUrl'>): OtlpSignal[] {
  const traces = input.tempoGrpcAddress !== undefined || input.tempoHttpUrl !== undefined;
  return [...(traces ? ['traces' as const] : []), 'metrics', ...(input.lokiOtlpUrl !== undefined ? ['logs' as const] : [])];
}

/**
 * OTTL statements copying each mapped resource attribute to the stack's label name (`service.name` ->
 * `service`, ...) when the attribute is present and the label is not set yet.
 */
export function labelStatements(): string[] {
  return OTLP_ATTRIBUTE_LABELS.map(({ attribute, label }) =>
    `set(attributes["${label}"], attributes["${attribute}"]) where attributes["${attribute}"] != nil and attributes["${label}"] == nil`);
}

function ref(component: string, label: string): ReturnType<typeof expr> {
  return expr(`${component}.${label}.input`);
}

function outputs(map: Partial<Record<OtlpSignal, ReturnType<typeof expr>>>): AlloyBlock {
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
    block('sending_queue', [attr('enabled', true), attr('queue_size', 1000)]),
  ];
}

export function gatewayConfigBlocks(input: GatewayConfigInput): AlloyBlock[] {
  const c = input.config;
  const k = GATEWAY_COMPONENTS;
  const signals = gatewaySignals(input);
  const has = (s: OtlpSignal) => signals.includes(s);
  const limiter = ref('otelcol.processor.memory_limiter', k.memoryLimiter);
  const transform = ref('otelcol.processor.transform', k.transform);
  const batch = ref('otelcol.processor.batch', k.batch);
  const pick = (m: Record<OtlpSignal, ReturnType<typeof expr>>) => Object.fromEntries(signals.map((s) => [s, m[s]])) as Partial<Record<OtlpSignal, ReturnType<typeof expr>>>;
  const blocks: AlloyBlock[] = [
    block('otelcol.receiver.otlp', [
      block('grpc', [attr('endpoint', `0.0.0.0:${input.grpcPort}`)]),
      block('http', [attr('endpoint', `0.0.0.0:${input.httpPort}`)]),
      outputs(pick({ traces: limiter, metrics: limiter, logs: limiter })),
    ], k.receiver, 'One endpoint for every signal: OTLP over gRPC and HTTP.'),
    block('otelcol.processor.memory_limiter', [
      attr('check_interval', c.memoryLimiter.check_interval),
      attr('limit_percentage', c.memoryLimiter.limit_percentage),
      attr('spike_limit_percentage', c.memoryLimiter.spike_limit_percentage),
      outputs(pick({ traces: batch, metrics: transform, logs: transform })),
    ], k.memoryLimiter, 'Refuses data (senders retry) before the pod runs out of memory.'),
    block('otelcol.processor.transform', [
      attr('error_mode', 'ignore'),
      block('metric_statements', [attr('context', 'resource'), attr('statements', labelStatements())]),
      ...(has('logs') ? [block('log_statements', [attr('context', 'resource'), attr('statements', [
        ...labelStatements(),
        `set(attributes["${OTLP_CLUSTER_ATTRIBUTE}"], "${input.clusterName}")`,
      ])])] : []),
      outputs({ metrics: batch, ...(has('logs') ? { logs: batch } : {}) }),
    ], k.transform, 'The stack\'s label names next to the OpenTelemetry attributes, so OTLP data carries the labels scraped\nmetrics and agent-shipped logs have (src/lib/otlp.ts). Traces keep their attributes: Tempo maps them itself.'),
    block('otelcol.processor.batch', [
      attr('timeout', c.batch.timeout),
      attr('send_batch_size', c.batch.send_batch_size),
      attr('send_batch_max_size', c.batch.send_batch_max_size),
      outputs(pick({
        traces: ref(input.tempoGrpcAddress !== undefined ? 'otelcol.exporter.otlp' : 'otelcol.exporter.otlphttp', k.tempo),
        metrics: ref('otelcol.exporter.otlphttp', k.prometheus),
        logs: ref('otelcol.exporter.otlphttp', k.loki),
      })),
    ], k.batch),
  ];
  if (input.tempoGrpcAddress !== undefined) {
    blocks.push(block('otelcol.exporter.otlp', [
      block('client', [attr('endpoint', input.tempoGrpcAddress), block('tls', [attr('insecure', true)])]),
      ...retryAndQueue(c),
    ], k.tempo, 'Traces to Tempo (OTLP/gRPC, in-cluster plaintext).'));
  } else if (input.tempoHttpUrl !== undefined) {
    blocks.push(block('otelcol.exporter.otlphttp', [
      block('client', [attr('endpoint', input.tempoHttpUrl)]),
      attr('traces_endpoint', `${input.tempoHttpUrl}${OTLP_HTTP_PATHS.traces}`),
      ...retryAndQueue(c),
    ], k.tempo, 'Traces to Tempo (OTLP/HTTP; its gRPC receiver is off).'));
  }
  blocks.push(block('otelcol.exporter.otlphttp', [
    block('client', [attr('endpoint', input.prometheusOtlpUrl)]),
    attr('metrics_endpoint', `${input.prometheusOtlpUrl}${OTLP_HTTP_PATHS.metrics}`),
    ...retryAndQueue(c),
  ], k.prometheus, 'Metrics to Prometheus\'s OTLP receiver (--web.enable-otlp-receiver).'));
  if (input.lokiOtlpUrl !== undefined) {
    blocks.push(block('otelcol.exporter.otlphttp', [
      block('client', [
        attr('endpoint', input.lokiOtlpUrl),
        ...(Object.keys(input.lokiHeaders).length > 0 ? [attr('headers', { ...input.lokiHeaders })] : []),
      ]),
      attr('logs_endpoint', `${input.lokiOtlpUrl}${OTLP_HTTP_PATHS.logs}`),
      ...retryAndQueue(c),
    ], k.loki, 'Logs to Loki\'s OTLP endpoint (limits_config.otlp_config turns the mapped attributes into stream labels).'));
  }
  return blocks;
}

export function renderGatewayConfig(input: GatewayConfigInput): string {
  return formatAlloy(gatewayConfigBlocks(input));
}
