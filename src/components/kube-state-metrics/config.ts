/**
 * kube-state-metrics' slice of the config: its type, defaults, per-profile values and validation, hooked
 * into src/config (types.ts, defaults.ts, validate.ts) with one line each.
 */
import type { DeepPartial, ImageSpec, ProfileName, ResourceSpec } from '../../config/types';
import type { Checker } from '../../config/validate';

export interface KubeStateMetricsConfig {
  /** kube-state-metrics (one Deployment in the main namespace): the state of Deployments, pods, nodes, volumes as metrics. */
  readonly enabled: boolean;
  readonly image: ImageSpec;
  /** `--port`: the object metrics Prometheus scrapes. */
  readonly port: number;
  /** `--telemetry-port`: kube-state-metrics' own metrics and its readiness endpoint. */
  readonly telemetryPort: number;
  readonly resources: ResourceSpec;
}

export const KUBE_STATE_METRICS_DEFAULTS: KubeStateMetricsConfig = {
  enabled: true,
  image: { repository: 'registry.k8s.io/kube-state-metrics/kube-state-metrics', tag: 'v2.20.0' },
  // kube-state-metrics' own defaults.
  port: 8080,
  telemetryPort: 8081,
  resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
};

export const KUBE_STATE_METRICS_PROFILES: Readonly<Record<ProfileName, DeepPartial<KubeStateMetricsConfig>>> = {
  dev: { resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { cpu: '100m', memory: '128Mi' } } },
  prod: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  large: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
};

export function validateKubeStateMetrics(c: Checker, cfg: KubeStateMetricsConfig): void {
  c.boolean('kubeStateMetrics.enabled', cfg.enabled);
  c.image('kubeStateMetrics.image', cfg.image);
  c.port('kubeStateMetrics.port', cfg.port, 8080);
  if (c.port('kubeStateMetrics.telemetryPort', cfg.telemetryPort, 8081) && cfg.telemetryPort === cfg.port) {
    c.fail('kubeStateMetrics.telemetryPort', cfg.telemetryPort, 'equals kubeStateMetrics.port (both listen in the same pod)', 'use two ports, e.g. 8080 and 8081');
  }
  c.resources('kubeStateMetrics.resources', cfg.resources);
}
