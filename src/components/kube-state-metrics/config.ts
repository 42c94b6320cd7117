/**
 * kube-state-metrics' config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes.
 */
import * as z from 'zod';
import { flag, image, listenPort, obj, report, resourcesSchema, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

export const kubeStateMetricsSchema = obj({
  /** kube-state-metrics (one Deployment in the main namespace): the state of Deployments, pods, nodes, volumes as metrics. */
  enabled: flag(),
  image: image({ repository: 'registry.k8s.io/kube-state-metrics/kube-state-metrics', tag: 'v2.20.0' }, { registryHost: true }),
  /** `--port`: the object metrics the scraper scrapes. */
  port: listenPort(8080),
  /** `--telemetry-port`: kube-state-metrics' own metrics and its readiness endpoint. */
  telemetryPort: listenPort(8081),
  resources: resourcesSchema,
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((k, ctx) => {
  if (k.telemetryPort === k.port) {
    report(ctx, ['telemetryPort'], k.telemetryPort, 'equals kubeStateMetrics.port (both listen in the same pod)', 'use two ports, e.g. 8080 and 8081');
  }
}).readonly();

export type KubeStateMetricsConfig = z.infer<typeof kubeStateMetricsSchema>;

export const KUBE_STATE_METRICS_DEFAULTS: KubeStateMetricsConfig = {
  enabled: true,
  image: { repository: 'registry.k8s.io/kube-state-metrics/kube-state-metrics', tag: 'v2.20.0' },
  port: 8080,
  telemetryPort: 8081,
  resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
  pods: POD_DEFAULTS,
};

export const KUBE_STATE_METRICS_PROFILES: ProfileChanges<KubeStateMetricsConfig> = {
  dev: { resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { cpu: '100m', memory: '128Mi' } } },
  prod: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  large: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
};
