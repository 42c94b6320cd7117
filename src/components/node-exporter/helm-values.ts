/**
 * Values for the prometheus chart's prometheus-node-exporter subchart (4.56.1, app 1.12.1), under the parent's
 * `prometheus-node-exporter` key: the manifests' image, flags, resources, probe timings and security
 * contexts, read from the manifests' pod.
 */
import type { StackConfig } from '../../config/types';
import { goMemLimitEnv } from '../../lib/kube';
import { type ManifestsPod, type ProbeTimings, containerSecurityOf, gracePeriodOf, podSecurityOf, probeTimingsOf } from '../../lib/manifests-pods';
import {
  type ContainerSecurityContextValues, type PodPlacementValues, type PodSecurityContextValues, type RegistryImageValues, type ResourcesValues,
  podPlacementValues, registryImageValues, resourcesValues,
} from '../../lib/helm-values';
import { nodeExporterEndpoints } from './endpoints';
import { NODE_EXPORTER_TEXTFILE_MOUNT, nodeExporterCollectorArgs } from './node-exporter';

/** The prometheus-node-exporter subchart (4.56.1) as the manifests run it, in the agents namespace (Linux nodes, every taint tolerated). */
export interface NodeExporterSubchartValues extends PodPlacementValues {
  readonly enabled: true;
  /** The release namespace is the main one, whose Pod Security level (restricted) forbids host access. */
  readonly namespaceOverride: string;
  readonly image: RegistryImageValues;
  readonly imagePullSecrets: readonly string[];
  readonly priorityClassName?: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly hostNetwork: true;
  readonly hostPID: true;
  readonly hostRootFsMount: { readonly enabled: true; readonly mountPropagation: 'HostToContainer' };
  /** `fsGroup: null` takes out the chart's default one, which the manifests do not set (the pod writes no volume). */
  readonly securityContext: Omit<PodSecurityContextValues, 'fsGroup'> & { readonly fsGroup: number | null };
  readonly containerSecurityContext: ContainerSecurityContextValues;
  /** Timings only: templates/daemonset.yaml probes `/` on the metrics port. */
  readonly livenessProbe: ProbeTimings;
  readonly readinessProbe: ProbeTimings;
  readonly terminationGracePeriodSeconds: number;
  readonly service: {
    readonly port: number;
    readonly targetPort: number;
    readonly portName: string;
    /** false: listen on the node's address (`status.hostIP`), as the manifests do. */
    readonly listenOnAllInterfaces: false;
    /** `null` takes out the chart's default `prometheus.io/scrape: "true"` (as `prometheusScrape: false` above). */
    readonly annotations: { readonly 'prometheus.io/scrape': null };
  };
  /** After the chart's own `--path.*` and `--web.listen-address` flags (templates/daemonset.yaml). */
  readonly extraArgs: readonly string[];
  readonly extraHostVolumeMounts: ReadonlyArray<{ readonly name: string; readonly hostPath: string; readonly mountPath: string; readonly readOnly: true; readonly type: 'Directory' }>;
  readonly env: Readonly<Record<string, string>>;
  readonly resources: ResourcesValues;
}

export function nodeExporterSubchart(cfg: StackConfig, pod: ManifestsPod): NodeExporterSubchartValues {
  const n = cfg.nodeExporter;
  const port = nodeExporterEndpoints(cfg).http;
  return {
    enabled: true,
    namespaceOverride: cfg.common.agentNamespace,
    image: registryImageValues(n.image, cfg.common),
    imagePullSecrets: [...cfg.common.imagePullSecrets],
    ...(cfg.common.priorityClassName !== undefined ? { priorityClassName: cfg.common.priorityClassName } : {}),
    commonLabels: { ...cfg.common.labels },
    hostNetwork: true,
    hostPID: true,
    hostRootFsMount: { enabled: true, mountPropagation: 'HostToContainer' },
    securityContext: { fsGroup: null, ...(podSecurityOf(pod) as PodSecurityContextValues) },
    containerSecurityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
    livenessProbe: probeTimingsOf(pod, 'livenessProbe'),
    readinessProbe: probeTimingsOf(pod, 'readinessProbe'),
    terminationGracePeriodSeconds: gracePeriodOf(pod),
    service: { port: port.port, targetPort: port.port, portName: port.portName, listenOnAllInterfaces: false, annotations: { 'prometheus.io/scrape': null } },
    extraArgs: nodeExporterCollectorArgs(n),
    extraHostVolumeMounts: n.textfileDirectory === '' ? [] : [{ name: 'textfile', hostPath: n.textfileDirectory, mountPath: NODE_EXPORTER_TEXTFILE_MOUNT, readOnly: true, type: 'Directory' }],
    env: { GOMEMLIMIT: goMemLimitEnv(n.resources).value! },
    resources: resourcesValues(n.resources),
    ...podPlacementValues(n.pods, cfg.common, { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ operator: 'Exists' }] }),
  };
}
