/**
 * Values for the prometheus chart's kube-state-metrics subchart (8.4.0, app 2.20.0), under the parent's
 * `kube-state-metrics` key: the manifests' image, collectors, resources, probe timings and security contexts,
 * read from the manifests' pod.
 */
import type { StackConfig } from '../../config/types';
import { goMemLimitEnv } from '../../lib/kube';
import { type ManifestsPod, type ProbeTimings, containerSecurityOf, podSecurityOf, probeTimingsOf } from '../../lib/manifests-pods';
import {
  type ContainerSecurityContextValues, type PodPlacementValues, type PodSecurityContextValues, type RegistryImageValues, type ResourcesValues,
  podPlacementValues, registryImageValues, resourcesValues,
} from '../../lib/helm-values';
import { KUBE_STATE_METRICS_RESOURCES, kubeStateMetricsLabelsAllowlist } from './kube-state-metrics';

/** The kube-state-metrics subchart (8.4.0) as the manifests run it. */
export interface KubeStateMetricsSubchartValues extends PodPlacementValues {
  readonly enabled: true;
  readonly image: RegistryImageValues;
  readonly imagePullSecrets: readonly string[];
  readonly priorityClassName?: string;
  readonly customLabels: Readonly<Record<string, string>>;
  readonly replicas: 1;
  /** `--resources` (templates/_helpers.tpl `kube-state-metrics.collectors`); the ClusterRole follows it (templates/role.yaml). */
  readonly collectors: readonly string[];
  readonly metricLabelsAllowlist: readonly string[];
  readonly service: { readonly port: number };
  readonly selfMonitor: { readonly enabled: false; readonly telemetryPort: number };
  /** Service annotation only: the annotated-pods job reads pod annotations, so leaving it on would mislead. */
  readonly prometheusScrape: false;
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly resources: ResourcesValues;
  readonly securityContext: PodSecurityContextValues & { readonly enabled: true };
  readonly containerSecurityContext: ContainerSecurityContextValues;
  /** Timings only: templates/deployment.yaml writes the paths (`/livez` on `http`, `/readyz` on `metrics`). */
  readonly livenessProbe: ProbeTimings;
  readonly readinessProbe: ProbeTimings;
}

export function kubeStateMetricsSubchart(cfg: StackConfig, pod: ManifestsPod): KubeStateMetricsSubchartValues {
  const k = cfg.kubeStateMetrics;
  return {
    enabled: true,
    image: registryImageValues(k.image, cfg.common),
    imagePullSecrets: [...cfg.common.imagePullSecrets],
    ...(cfg.common.priorityClassName !== undefined ? { priorityClassName: cfg.common.priorityClassName } : {}),
    customLabels: { ...cfg.common.labels },
    replicas: 1,
    collectors: KUBE_STATE_METRICS_RESOURCES.map((r) => r.resource).sort(),
    metricLabelsAllowlist: [kubeStateMetricsLabelsAllowlist()],
    service: { port: k.port },
    selfMonitor: { enabled: false, telemetryPort: k.telemetryPort },
    prometheusScrape: false,
    env: [goMemLimitEnv(k.resources) as { name: string; value: string }],
    resources: resourcesValues(k.resources),
    securityContext: { enabled: true, ...(podSecurityOf(pod) as PodSecurityContextValues) },
    containerSecurityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
    livenessProbe: probeTimingsOf(pod, 'livenessProbe'),
    readinessProbe: probeTimingsOf(pod, 'readinessProbe'),
    ...podPlacementValues(k.pods, cfg.common),
  };
}
