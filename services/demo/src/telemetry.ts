/**
 * Tracing: a Node tracer provider with the HTTP and kafkajs instrumentations and an OTLP/HTTP exporter,
 * configured by the standard `OTEL_*` variables (endpoint, protocol, service name, resource attributes,
 * batch delays).
 *
 * Must run before any module that uses `node:http` or kafkajs is loaded (see main.ts): the
 * instrumentations patch a module's exports when it is required.
 */
import { DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from './logger';
import type { Settings } from './settings';

/** Paths that are probed or scraped every few seconds: tracing them would bury the real traces. */
export const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export const SERVICE_VERSION = '0.1.0';

/** The resource of every signal: ours, with OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES winning. */
export function serviceResource(serviceName: string): Resource {
  return defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: SERVICE_VERSION }))
    .merge(detectResources({ detectors: [envDetector] }));
}

export interface Telemetry {
  /** Exports every finished span and stops the exporter (graceful shutdown). */
  shutdown(): Promise<void>;
  /** Which exporter is active, for the start-up log line. */
  readonly exporter: 'otlp-http/protobuf' | 'otlp-http/json' | 'none';
}

type Env = Readonly<Record<string, string | undefined>>;

/** The exporter `OTEL_TRACES_EXPORTER` and `OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL` ask for. */
export function exporterKind(env: Env): Telemetry['exporter'] {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((s) => s.trim());
  if (env.OTEL_SDK_DISABLED === 'true' || exporters.includes('none')) return 'none';
  if (!exporters.includes('otlp')) throw new Error(`OTEL_TRACES_EXPORTER=${JSON.stringify(env.OTEL_TRACES_EXPORTER)}: only "otlp" and "none" are supported`);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (protocol === 'http/protobuf') return 'otlp-http/protobuf';
  if (protocol === 'http/json') return 'otlp-http/json';
  throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${JSON.stringify(protocol)}: use http/protobuf or http/json (gRPC is not built into this image)`);
}

/** Bound on the final flush, so an unreachable collector cannot hold a terminating pod. */
export const FLUSH_TIMEOUT_MS = 5000;

export function startTelemetry(settings: Settings, log: Logger, env: Env = process.env): Telemetry {
  const kind = settings.role === 'traffic' ? 'none' : exporterKind(env);
  if (kind === 'none') return { exporter: 'none', shutdown: async () => undefined };

  // Without a diag logger the SDK drops export errors silently, and "why are there no traces?" has no answer.
  diag.setLogger({
    error: (msg, ...args) => log.error({ otel: args.map(String) }, `otel: ${msg}`),
    warn: (msg, ...args) => log.warn({ otel: args.map(String) }, `otel: ${msg}`),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });

  // Exporters read OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT themselves.
  const exporter: SpanExporter = kind === 'otlp-http/json' ? new OtlpJsonExporter() : new OtlpProtoExporter();
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (namespace and pod from the downward API) win over ours.
  const resource = serviceResource(settings.serviceName);
  // The batch processor reads OTEL_BSP_* (schedule delay, queue and batch sizes).
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  // Default propagators: W3C trace context and baggage.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
      }),
      // PRODUCER spans around sends (with `traceparent` written into the message headers) and CONSUMER
      // spans around `eachMessage`, children of the producer span, per the messaging conventions.
      new KafkaJsInstrumentation(),
    ],
  });
  return {
    exporter: kind,
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`span flush did not finish within ${FLUSH_TIMEOUT_MS} ms`)), FLUSH_TIMEOUT_MS);
      });
      try {
        await Promise.race([provider.shutdown(), timeout]);
      } finally {
        clearTimeout(timer);
        trace.disable();
      }
    },
  };
}
