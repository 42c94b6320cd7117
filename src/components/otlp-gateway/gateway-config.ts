/**
 * The OTLP gateway's Alloy configuration (`otelcol.*` components; names and arguments as the Alloy v1.18.1
 * component reference documents them). Pure: destinations in, text out; the destinations themselves come
 * from `gatewayDestinations` (below), which records a wire to each store.
 *
 * otelcol.receiver.otlp (gRPC and HTTP) -> otelcol.processor.memory_limiter
 *   -> traces:            otelcol.processor.batch -> Tempo (OTLP/gRPC, else OTLP/HTTP)
 *   -> metrics and logs:  otelcol.processor.transform (resource attribute -> the stack's label names)
 *                         -> otelcol.processor.batch -> otelcol.exporter.otlphttp (Prometheus, Loki)
 * Each exporter retries with backoff and queues while its store is unreachable. A signal whose store is
 * not deployed is not accepted at all.
 */
import type { StackConfig } from '../../config/types';
import { OTLP_SIGNAL_PATHS, type OtlpSignal } from '../../lib/endpoints';
import type { Endpoints } from '../registry';
import { lokiOtlpUrl, lokiPushEndpoint } from '../loki/endpoints';
import { prometheusOtlpUrl } from '../prometheus/endpoints';
import type { BuildContext } from '../component';
import { lokiTenantHeaders } from '../loki/endpoints';
import { OTLP_ATTRIBUTE_LABELS, OTLP_CLUSTER_ATTRIBUTE } from '../../lib/otlp';
import { type AlloyBlock, type AlloyExpr, type AlloyStatement, attr, block, expr, formatAlloy } from '../alloy/alloy-config';
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

/** Items each exporter queues in memory while its store is away. */
export const GATEWAY_QUEUE_SIZE = 1000;

export interface GatewayDestinations {
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

export interface GatewayConfigInput extends GatewayDestinations {
  readonly config: OtlpGatewayConfig;
  readonly grpcPort: number;
  readonly httpPort: number;
}

/** The signals the gateway forwards, given the stores that exist. */
export function gatewaySignals(d: Pick<GatewayDestinations, 'tempoGrpcAddress' | 'tempoHttpUrl' | 'lokiOtlpUrl'>): OtlpSignal[] {
  const traces = d.tempoGrpcAddress !== undefined || d.tempoHttpUrl !== undefined;
  return [...(traces ? ['traces' as const] : []), 'metrics', ...(d.lokiOtlpUrl !== undefined ? ['logs' as const] : [])];
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

export function gatewayConfigBlocks(i: GatewayConfigInput): AlloyBlock[] {
  const c = i.config;
  const k = GATEWAY_COMPONENTS;
  const signals = gatewaySignals(i);
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
      output(only({
        traces: input(i.tempoGrpcAddress !== undefined ? 'otelcol.exporter.otlp' : 'otelcol.exporter.otlphttp', k.tempo),
        metrics: input('otelcol.exporter.otlphttp', k.prometheus),
        logs: input('otelcol.exporter.otlphttp', k.loki),
      })),
    ], k.batch),
  ];
  if (i.tempoGrpcAddress !== undefined) {
    blocks.push(block('otelcol.exporter.otlp', [
      block('client', [attr('endpoint', i.tempoGrpcAddress), block('tls', [attr('insecure', true)])]),
      ...retryAndQueue(c),
    ], k.tempo, 'Traces to Tempo (OTLP/gRPC, plaintext inside the cluster).'));
  } else if (i.tempoHttpUrl !== undefined) {
    blocks.push(block('otelcol.exporter.otlphttp', [
      block('client', [attr('endpoint', i.tempoHttpUrl)]),
      attr('traces_endpoint', `${i.tempoHttpUrl}${OTLP_SIGNAL_PATHS.traces}`),
      ...retryAndQueue(c),
    ], k.tempo, 'Traces to Tempo (OTLP/HTTP; its gRPC receiver is off).'));
  }
  blocks.push(block('otelcol.exporter.otlphttp', [
    block('client', [attr('endpoint', i.prometheusOtlpUrl)]),
    attr('metrics_endpoint', `${i.prometheusOtlpUrl}${OTLP_SIGNAL_PATHS.metrics}`),
    ...retryAndQueue(c),
  ], k.prometheus, 'Metrics to Prometheus\'s OTLP receiver (--web.enable-otlp-receiver).'));
  if (i.lokiOtlpUrl !== undefined) {
    blocks.push(block('otelcol.exporter.otlphttp', [
      block('client', [
        attr('endpoint', i.lokiOtlpUrl),
        ...(Object.keys(i.lokiHeaders).length > 0 ? [attr('headers', { ...i.lokiHeaders })] : []),
      ]),
      attr('logs_endpoint', `${i.lokiOtlpUrl}${OTLP_SIGNAL_PATHS.logs}`),
      ...retryAndQueue(c),
    ], k.loki, 'Logs to Loki\'s OTLP endpoint (limits_config.otlp_config makes the mapped attributes stream labels).'));
  }
  return blocks;
}

export function renderGatewayConfig(i: GatewayConfigInput): string {
  return formatAlloy(gatewayConfigBlocks(i));
}

/**
 * Where the gateway sends each signal, wiring each store it reaches (the manifests' endpoints, or the Helm
 * installation's): Tempo's OTLP/gRPC receiver, else its OTLP/HTTP one (neither on: no traces), Prometheus's
 * OTLP receiver, Loki's OTLP endpoint on its push Service.
 */
export function gatewayDestinations(cfg: StackConfig, endpoints: Endpoints, wire: BuildContext['wire']): GatewayDestinations {
  const r = cfg.tempo.receivers;
  const tempoGrpc = cfg.tempo.enabled && r.otlpGrpc ? wire('otlp-gateway', endpoints.tempo.otlpGrpc, 'otlp', 'forwards traces (OTLP/gRPC)') : undefined;
  const tempoHttp = cfg.tempo.enabled && !r.otlpGrpc && r.otlpHttp ? wire('otlp-gateway', endpoints.tempo.otlpHttp, 'otlp', 'forwards traces (OTLP/HTTP)') : undefined;
  const prometheus = wire('otlp-gateway', endpoints.prometheus.http, 'otlp', 'forwards metrics (Prometheus OTLP receiver)');
  const loki = cfg.loki.enabled ? wire('otlp-gateway', lokiPushEndpoint(endpoints), 'otlp', 'forwards logs (Loki OTLP endpoint)') : undefined;
  return {
    ...(tempoGrpc ? { tempoGrpcAddress: tempoGrpc.address } : {}),
    ...(tempoHttp ? { tempoHttpUrl: tempoHttp.url } : {}),
    prometheusOtlpUrl: prometheusOtlpUrl(prometheus),
    ...(loki ? { lokiOtlpUrl: lokiOtlpUrl(loki) } : {}),
    lokiHeaders: lokiTenantHeaders(cfg.loki.tenant),
    clusterName: cfg.common.clusterName,
  };
}
