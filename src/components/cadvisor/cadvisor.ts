/**
 * cAdvisor: per-container CPU, memory, network and filesystem metrics from every node, as a DaemonSet in
 * the agents namespace. Works on containerd nodes (kind, k3s, kubeadm, managed clouds) as well as Docker.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CadvisorConfig, CommonConfig, ImageSpec } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import {
  commonPodSpec, containerPort, goMemLimitEnv, httpProbe, imageRef, meta, nodeAgentDaemonSetSpec, resources,
  serviceProps, serviceAccount,
} from '../../lib/kube';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { parseGoDuration } from '../../config/units';

export const CADVISOR_IDENTITY = { name: 'cadvisor', component: 'container-metrics' } as const;

/**
 * The CRI labels containerd and Docker put on every Kubernetes container. cAdvisor turns exactly these
 * into `container_label_*` labels, which the scraper renames to `namespace`, `pod` and `container`.
 * (Joined without spaces: a space makes cAdvisor look for a label named " io.kubernetes...".)
 */
export const CADVISOR_WHITELISTED_LABELS = ['io.kubernetes.container.name', 'io.kubernetes.pod.name', 'io.kubernetes.pod.namespace'] as const;

/**
 * Metric groups kept. The expensive or noisy ones (per-CPU, process, tcp/udp, perf, resctrl, hugetlb,
 * referenced memory) stay off. `oom_event` needs /dev/kmsg, so only with `privileged`.
 */
export function cadvisorMetricGroups(config: CadvisorConfig): string[] {
  const groups = ['cpu', 'memory', 'network', 'disk', 'diskIO'];
  return config.privileged ? [...groups, 'oom_event'] : groups;
}

export function cadvisorArgs(config: CadvisorConfig, port: number): string[] {
  const housekeepingMs = parseGoDuration(config.housekeepingInterval) ?? 10_000;
  return [
    `--port=${port}`,
    `--housekeeping_interval=${config.housekeepingInterval}`,
    // Dynamic housekeeping may stretch idle containers' interval up to this; keep it near the scrape cadence.
    `--max_housekeeping_interval=${Math.max(2 * housekeepingMs / 1000, 15)}s`,
    '--docker_only=false',
    `--containerd=${config.containerdSocket}`,
    '--store_container_labels=false',
    `--whitelisted_container_labels=${CADVISOR_WHITELISTED_LABELS.join(',')}`,
    `--enable_metrics=${cadvisorMetricGroups(config).join(',')}`,
    // No event history is read by anyone; keep memory flat.
    '--event_storage_event_limit=default=0',
    '--event_storage_age_limit=default=0',
  ];
}

export interface CadvisorProps {
  readonly config: CadvisorConfig;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
}

/** Read-only host paths cAdvisor reads: cgroups and the container runtime's socket and state. */
export const CADVISOR_HOST_MOUNTS: ReadonlyArray<{ name: string; hostPath: string; mountPath: string }> = [
  // Filesystem usage of container layers and volumes, read through the node's root.
  { name: 'rootfs', hostPath: '/', mountPath: '/rootfs' },
  // cgroup statistics.
  { name: 'sys', hostPath: '/sys', mountPath: '/sys' },
  // containerd's (and Docker's) socket for container metadata and CRI labels.
  { name: 'var-run', hostPath: '/var/run', mountPath: '/var/run' },
];

export function cadvisorScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return { ...componentScrapeTarget(CADVISOR_IDENTITY.name, 'cAdvisor', endpoint), nodeContainers: true };
}

export class Cadvisor extends Chart {
  constructor(scope: Construct, id: string, props: CadvisorProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, labeler } = props;
    const ns = endpoint.namespace;
    const name = CADVISOR_IDENTITY.name;
    const labels = labeler.labels({ ...CADVISOR_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);

    const sa = serviceAccount(this, name, ns, labels);
    new k8s.KubeService(this, 'Service', serviceProps([endpoint], labels, selector));

    new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: meta(name, ns, labels),
      spec: nodeAgentDaemonSetSpec(selector, {
        metadata: { labels },
        spec: {
          ...commonPodSpec(common, { serviceAccountName: sa.name }),
          securityContext: {
            // Root is needed to read cgroup files and the runtime socket (owned by root, mode 0660);
            // no capability is, unless `privileged` is asked for /dev/kmsg (OOM events).
            runAsUser: 0,
            runAsNonRoot: false,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          terminationGracePeriodSeconds: 30,
          containers: [{
            name,
            image: imageRef(props.image, common),
            imagePullPolicy: 'IfNotPresent',
            args: cadvisorArgs(config, endpoint.port),
            env: [goMemLimitEnv(config.resources)],
            ports: [containerPort(endpoint)],
            resources: resources(config.resources),
            securityContext: config.privileged
              ? { privileged: true, readOnlyRootFilesystem: true }
              : { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            readinessProbe: httpProbe('/healthz', endpoint.portName, { periodSeconds: 10 }),
            livenessProbe: httpProbe('/healthz', endpoint.portName, { initialDelaySeconds: 10, periodSeconds: 30 }),
            volumeMounts: [
              ...CADVISOR_HOST_MOUNTS.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: true })),
              ...(config.privileged ? [{ name: 'kmsg', mountPath: '/dev/kmsg', readOnly: true }] : []),
            ],
          }],
          volumes: [
            ...CADVISOR_HOST_MOUNTS.map((m) => ({ name: m.name, hostPath: { path: m.hostPath, type: 'Directory' } })),
            ...(config.privileged ? [{ name: 'kmsg', hostPath: { path: '/dev/kmsg', type: 'CharDevice' } }] : []),
          ],
        },
      }),
    });
  }
}
