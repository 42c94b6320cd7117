/**
 * The OTLP-for-everything mode, switched on with the standard SDK variables:
 * - `OTEL_METRICS_EXPORTER=otlp`: the metrics also leave as OTLP metrics (otlp-metrics.ts), every
 *   `OTEL_METRIC_EXPORT_INTERVAL` ms (default 15000);
 * - `OTEL_LOGS_EXPORTER=otlp`: every log line leaves as an OTLP log record carrying the request's trace
 *   context, instead of stdout (only the start-up line stays on stdout, so `kubectl logs` still says where
 *   the logs went, and the node's log agent does not ship each line a second time).
 * Unset (the default): `/metrics` and JSON lines on stdout only. The endpoint and protocol are the usual
 * `OTEL_EXPORTER_OTLP_[METRICS_|LOGS_]ENDPOINT` / `_PROTOCOL` (http/protobuf or http/json).
 */
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LOG_FIELDS } from './logger';
import { serviceResource } from './telemetry';

type Env = Readonly<Record<string, string | undefined>>;
export type SignalExporter = 'otlp-http/protobuf' | 'otlp-http/json' | 'none';

export const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 15000;

/** What `OTEL_<SIGNAL>_EXPORTER` and the OTLP protocol variables ask for (`none` unless set to `otlp`). */
export function signalExporter(env: Env, signal: 'METRICS' | 'LOGS'): SignalExporter {
  const exporters = (env[`OTEL_${signal}_EXPORTER`] ?? 'none').split(',').map((s) => s.trim());
  if (exporters.some((e) => e !== 'none' && e !== 'otlp')) {
    throw new Error(`OTEL_${signal}_EXPORTER=${JSON.stringify(env[`OTEL_${signal}_EXPORTER`])}: only "otlp" and "none" are supported`);
  }
  if (env.OTEL_SDK_DISABLED === 'true' || !exporters.includes('otlp')) return 'none';
  const protocol = env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (protocol === 'http/protobuf') return 'otlp-http/protobuf';
  if (protocol === 'http/json') return 'otlp-http/json';
  throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${JSON.stringify(protocol)}: use http/protobuf or http/json (gRPC is not built into this image)`);
}

const SEVERITY: Readonly<Record<string, SeverityNumber>> = {
  trace: SeverityNumber.TRACE, debug: SeverityNumber.DEBUG, info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR, fatal: SeverityNumber.FATAL,
};

function attributeValue(v: unknown): string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
}

/**
 * A pino destination that turns each JSON line into an OTLP log record: `msg` the body, `level` the
 * severity, `trace_id`/`span_id` the record's trace context (Loki keeps them as structured metadata), the
 * other fields attributes. `service` is left out: the resource's `service.name` says it.
 */
export class OtlpLogStream {
  private readonly logger: ReturnType<LoggerProvider['getLogger']>;

  constructor(private readonly provider: LoggerProvider, private readonly startup: (line: string) => void) {
    this.logger = provider.getLogger('obs-stack-demo');
  }

  write(line: string): void {
    let rec: Record<string, unknown>;
    try { rec = JSON.parse(line) as Record<string, unknown>; } catch { this.startup(line); return; }
    const { [LOG_FIELDS.level]: level, [LOG_FIELDS.message]: msg, [LOG_FIELDS.traceId]: traceId, [LOG_FIELDS.spanId]: spanId, time, service: _service, ...rest } = rec;
    const context = typeof traceId === 'string' && typeof spanId === 'string'
      ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED })
      : undefined;
    this.logger.emit({
      timestamp: typeof time === 'string' ? new Date(time) : new Date(),
      severityText: String(level ?? 'info').toUpperCase(),
      severityNumber: SEVERITY[String(level)] ?? SeverityNumber.UNSPECIFIED,
      body: String(msg ?? ''),
      attributes: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, attributeValue(v)])),
      ...(context ? { context } : {}),
    });
    if (msg === 'listening') this.startup(line);
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

export interface OtlpSignals {
  readonly exporters: { readonly metrics: SignalExporter; readonly logs: SignalExporter };
  /** Set with OTEL_METRICS_EXPORTER=otlp: the provider the OTLP instruments (otlp-metrics.ts) record on. */
  readonly meterProvider?: MeterProvider;
  /** Set with OTEL_LOGS_EXPORTER=otlp: the logger's destination. */
  readonly logStream?: OtlpLogStream;
  /** Flushes and stops both exporters. */
  shutdown(): Promise<void>;
}

export function startOtlpSignals(serviceName: string, env: Env = process.env, stdout: (line: string) => void = (l) => process.stdout.write(l)): OtlpSignals {
  const exporters = { metrics: signalExporter(env, 'METRICS'), logs: signalExporter(env, 'LOGS') };
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? DEFAULT_METRIC_EXPORT_INTERVAL_MS);
  if (!Number.isFinite(interval) || interval <= 0) throw new Error(`OTEL_METRIC_EXPORT_INTERVAL=${JSON.stringify(env.OTEL_METRIC_EXPORT_INTERVAL)}: must be a positive number of milliseconds`);
  const resource = exporters.metrics === 'none' && exporters.logs === 'none' ? undefined : serviceResource(serviceName);
  // The exporters read OTEL_EXPORTER_OTLP_[METRICS_|LOGS_]ENDPOINT, _HEADERS and _TIMEOUT themselves.
  const meterProvider = exporters.metrics === 'none' ? undefined : new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({
      exporter: exporters.metrics === 'otlp-http/json' ? new MetricsJson() : new MetricsProto(),
      exportIntervalMillis: interval,
      exportTimeoutMillis: Math.min(interval, 10000),
    })],
  });
  const logStream = exporters.logs === 'none' ? undefined : new OtlpLogStream(new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: exporters.logs === 'otlp-http/json' ? new LogsJson() : new LogsProto() })],
  }), stdout);
  return {
    exporters,
    ...(meterProvider ? { meterProvider } : {}),
    ...(logStream ? { logStream } : {}),
    async shutdown() {
      await Promise.all([meterProvider?.shutdown(), logStream?.shutdown()]);
    },
  };
}
