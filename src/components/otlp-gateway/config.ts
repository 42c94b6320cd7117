/**
 * The OTLP gateway's config slice: one endpoint that accepts traces, metrics and logs over OTLP and
 * forwards each to its store. Processor and exporter settings keep the argument names of Alloy's
 * `otelcol.*` components (v1.18.1 reference).
 */
import * as z from 'zod';
import type { StackConfig } from '../../config/types';
import {
  flag, goDuration, image, listenPorts, num, obj, positiveInt, replicas, report, resourcesSchema, type ProfileChanges,
} from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';
import { parseGoDurationNs } from '../../config/units';
import { ALLOY_DEFAULTS } from '../alloy/config';

const percentage = (example: number) => num({ min: 1, max: 100, integer: true, example, message: 'is not a percentage', bound: 'an integer from 1 to 100' });

export const otlpGatewaySchema = obj({
  /** The gateway (Grafana Alloy, a Deployment with its own Service) every workload sends OTLP to. */
  enabled: flag(),
  /** Grafana Alloy, pinned (the log agent's version by default). */
  image: image(ALLOY_DEFAULTS.image, { registryHost: true }),
  /** `grpc` 4317 and `http` 4318 (OTLP's registered ports); `metrics`: Alloy's own HTTP server (metrics, readiness). */
  ports: listenPorts('otlpGateway', { grpc: 4317, http: 4318, metrics: 12345 }),
  /** More than one keeps the endpoint up through a rollout or a node drain. */
  replicas: replicas(2),
  resources: resourcesSchema,
  /** `otelcol.processor.memory_limiter`: refuse data (senders retry) before the pod runs out of memory. */
  memoryLimiter: obj({
    check_interval: goDuration('1s'),
    /** Soft limit, percent of the container's memory limit. */
    limit_percentage: percentage(80),
    /** How far above the soft limit data may spike before refusals start early, percent of the memory limit. */
    spike_limit_percentage: percentage(20),
  }).superRefine((m, ctx) => {
    if (m.spike_limit_percentage >= m.limit_percentage) {
      report(ctx, ['spike_limit_percentage'], m.spike_limit_percentage, `is not below limit_percentage (${m.limit_percentage})`, 'use a spike limit well below the limit, e.g. 20 with 80');
    }
  }).readonly(),
  /** `otelcol.processor.batch`. */
  batch: obj({
    timeout: goDuration('1s'),
    send_batch_size: positiveInt(8192, 1_000_000),
    send_batch_max_size: positiveInt(10000, 1_000_000),
  }).superRefine((b, ctx) => {
    if (b.send_batch_max_size < b.send_batch_size) {
      report(ctx, ['send_batch_max_size'], b.send_batch_max_size, `is below send_batch_size (${b.send_batch_size})`, 'use a maximum at least as large as send_batch_size');
    }
  }).readonly(),
  /** `retry_on_failure` of every exporter: how long a store may be away before data is dropped. */
  retry: obj({
    initial_interval: goDuration('5s'),
    max_interval: goDuration('30s'),
    max_elapsed_time: goDuration('5m'),
  }).superRefine((r, ctx) => {
    const [initial, max] = [parseGoDurationNs(r.initial_interval), parseGoDurationNs(r.max_interval)];
    if (initial !== undefined && max !== undefined && initial > max) {
      report(ctx, ['initial_interval'], r.initial_interval, `is longer than max_interval "${r.max_interval}"`, 'use an initial interval no longer than the maximum');
    }
  }).readonly(),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).readonly();

export type OtlpGatewayConfig = z.infer<typeof otlpGatewaySchema>;

export const OTLP_GATEWAY_DEFAULTS: OtlpGatewayConfig = {
  enabled: true,
  image: ALLOY_DEFAULTS.image,
  // OTLP's registered ports; Alloy's default HTTP port.
  ports: { grpc: 4317, http: 4318, metrics: 12345 },
  replicas: 1,
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  // Soft limit at 80% of the container's memory, spikes 20% (upstream's advice).
  memoryLimiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
  batch: { timeout: '1s', send_batch_size: 8192, send_batch_max_size: 10000 },
  retry: { initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
  pods: POD_DEFAULTS,
};

/** Two replicas outside dev, so a rollout or a node drain never leaves applications without an endpoint. */
export const OTLP_GATEWAY_PROFILES: ProfileChanges<OtlpGatewayConfig> = {
  prod: { replicas: 2 },
  large: { replicas: 2, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
};

/** Is the OTLP gateway deployed? */
export function otlpGatewayDeployed(cfg: StackConfig): boolean {
  return cfg.otlpGateway.enabled;
}
