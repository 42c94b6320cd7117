/**
 * The OTLP gateway's configuration slice (`otlpGateway` in StackConfig): one endpoint that accepts
 * traces, metrics and logs over OTLP and forwards each to its store. Processor settings keep the upstream
 * (OpenTelemetry Collector / Alloy `otelcol.*`) argument names.
 */
import type { ImageSpec, ProfileName, ResourceSpec } from '../../config/types';

export interface OtlpGatewayConfig {
  readonly enabled: boolean;
  /** Grafana Alloy (its `otelcol.*` components). */
  readonly image: ImageSpec;
  /** `grpc` 4317 and `http` 4318 (OTLP's registered ports), `metrics`: Alloy's own HTTP server (metrics, readiness). */
  readonly ports: { readonly grpc: number; readonly http: number; readonly metrics: number };
  readonly replicas: number;
  readonly resources: ResourceSpec;
  /** `otelcol.processor.memory_limiter`: refuse data (clients retry) before the pod runs out of memory. */
  readonly memoryLimiter: { readonly check_interval: string; readonly limit_percentage: number; readonly spike_limit_percentage: number };
  /** `otelcol.processor.batch`. */
  readonly batch: { readonly timeout: string; readonly send_batch_size: number; readonly send_batch_max_size: number };
  /** `retry_on_failure` of every exporter: how long a store may be unreachable before data is dropped. */
  readonly retry: { readonly initial_interval: string; readonly max_interval: string; readonly max_elapsed_time: string };
}

export const OTLP_GATEWAY_DEFAULTS: OtlpGatewayConfig = {
  enabled: true,
  image: { repository: 'docker.io/grafana/alloy', tag: 'v1.18.1' },
  ports: { grpc: 4317, http: 4318, metrics: 12345 },
  replicas: 1,
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  // Soft limit at 80% of the container's memory, hard limit 20% above the soft one (upstream's advice).
  memoryLimiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
  batch: { timeout: '1s', send_batch_size: 8192, send_batch_max_size: 10000 },
  retry: { initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
};

/** Two replicas outside dev, so a rollout or a node drain never leaves applications without an endpoint. */
export const OTLP_GATEWAY_PROFILES: Readonly<Record<ProfileName, Partial<OtlpGatewayConfig>>> = {
  dev: {},
  prod: { replicas: 2 },
  large: { replicas: 2, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
};
