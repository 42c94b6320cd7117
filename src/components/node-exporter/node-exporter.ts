/**
 * node-exporter: the node's own metrics (CPU, memory, pressure, disks, filesystems, network) from every node,
 * as a DaemonSet in the agents namespace. Flags, collectors and defaults as node_exporter v1.12.1 defines
 * them (collector/*.go, node_exporter.go).
 *
 * How it runs, and why:
 * - `hostNetwork`: the network collector reads `/proc/net/dev` of its own network namespace, which must be
 *   the node's to see the node's interfaces; it listens on the node's address only (`status.hostIP`).
 * - `hostPID`, and the node's `/proc`, `/sys` and `/` mounted read-only (`/` with HostToContainer
 *   propagation, so volumes mounted later are seen): as node_exporter's README and the upstream chart run it.
 * - as uid 65534 (nobody), non-root, every capability dropped, no privilege escalation, read-only root
 *   filesystem: everything it reads is world-readable. The host namespaces and hostPath volumes are what
 *   the `baseline` and `restricted` Pod Security levels forbid, so it lives in the agents namespace
 *   (labelled `privileged`), like the other host agents.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import {
  commonPodSpec, containerPort, goMemLimitEnv, httpProbe, imageRef, meta, nodeAgentDaemonSetSpec, resources, serviceProps, serviceAccount,
} from '../../lib/kube';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import type { NodeExporterConfig } from './config';

export const NODE_EXPORTER_IDENTITY = { name: 'node-exporter', component: 'node-metrics' } as const;

/** The image's user (`nobody`), as the upstream chart runs it. */
const NODE_EXPORTER_UID = 65534;

/**
 * The collectors kept (`--collector.disable-defaults`, then each enabled by name): the ones the nodes
 * dashboard and the node alerts read. `textfile` joins them when a directory is configured.
 */
export const NODE_EXPORTER_COLLECTORS = [
  'cpu', 'diskstats', 'filesystem', 'loadavg', 'meminfo', 'netdev', 'pressure', 'stat', 'uname', 'vmstat',
] as const;

/**
 * Mount points the filesystem collector skips: node_exporter's own default list
 * (`^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)`) plus what a
 * Kubernetes node mounts per pod: the kubelet's pod volumes and projected tokens, and containerd's (also
 * k3s') sandbox and rootfs mounts, which would add series per pod and duplicate the node's disks.
 */
export const NODE_EXPORTER_MOUNT_POINTS_EXCLUDE =
  '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+|var/lib/kubelet/.+|run/containerd/.+|run/k3s/containerd/.+|var/lib/rancher/k3s/agent/containerd/.+)($|/)';

/** Filesystem types skipped: node_exporter v1.12.1's default list, unchanged (pseudo and read-only image filesystems). */
export const NODE_EXPORTER_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$';

/**
 * Network devices skipped: loopback and the node ends of pods' virtual interfaces (veth, Calico, Cilium,
 * Flannel, ...), one per pod; per-pod traffic comes from the container metrics instead.
 */
export const NODE_EXPORTER_NETDEV_EXCLUDE = '^(lo|veth.*|cali.*|lxc.*|cilium_.*|flannel.*|cni.*|vxlan.*|tunl.*|genev_sys_.*|kube-ipvs.*|nodelocaldns)$';

/** Where the node's paths appear inside the container. */
export const NODE_EXPORTER_HOST_MOUNTS = [
  { name: 'proc', hostPath: '/proc', mountPath: '/host/proc', propagation: undefined },
  { name: 'sys', hostPath: '/sys', mountPath: '/host/sys', propagation: undefined },
  { name: 'root', hostPath: '/', mountPath: '/host/root', propagation: 'HostToContainer' },
] as const;

/** Where the textfile collector reads, inside the container, when `textfileDirectory` is set. */
export const NODE_EXPORTER_TEXTFILE_MOUNT = '/host/textfile';

/**
 * The host paths and the listen address (the upstream chart writes these same flags itself), then
 * `nodeExporterCollectorArgs`.
 */
export function nodeExporterArgs(config: NodeExporterConfig): string[] {
  return [
    '--path.procfs=/host/proc',
    '--path.sysfs=/host/sys',
    '--path.rootfs=/host/root',
    '--path.udev.data=/host/root/run/udev/data',
    // The node's primary address only (HOST_IP), not every interface of the node.
    `--web.listen-address=[$(HOST_IP)]:${config.port}`,
    ...nodeExporterCollectorArgs(config),
  ];
}

/** What is collected: the kept collectors and their filters, and the textfile directory when set. */
export function nodeExporterCollectorArgs(config: NodeExporterConfig): string[] {
  const textfile = config.textfileDirectory !== '';
  return [
    // node-exporter's own Go and HTTP metrics: nothing reads them.
    '--web.disable-exporter-metrics',
    '--collector.disable-defaults',
    ...[...NODE_EXPORTER_COLLECTORS, ...(textfile ? ['textfile'] : [])].sort().map((c) => `--collector.${c}`),
    `--collector.filesystem.mount-points-exclude=${NODE_EXPORTER_MOUNT_POINTS_EXCLUDE}`,
    `--collector.filesystem.fs-types-exclude=${NODE_EXPORTER_FS_TYPES_EXCLUDE}`,
    `--collector.netdev.device-exclude=${NODE_EXPORTER_NETDEV_EXCLUDE}`,
    ...(textfile ? [`--collector.textfile.directory=${NODE_EXPORTER_TEXTFILE_MOUNT}`] : []),
  ];
}

/** One target per node: the series get the node (`node`, `instance`), not the exporter pod's names. */
export function nodeExporterScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return { ...componentScrapeTarget(NODE_EXPORTER_IDENTITY.name, 'node-exporter', endpoint), targetLabels: 'node' };
}

export interface NodeExporterProps {
  readonly config: NodeExporterConfig;
  readonly common: CommonConfig;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
}

export class NodeExporter extends Chart {
  constructor(scope: Construct, id: string, props: NodeExporterProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, labeler } = props;
    const ns = endpoint.namespace;
    const name = NODE_EXPORTER_IDENTITY.name;
    const labels = labeler.labels({ ...NODE_EXPORTER_IDENTITY, version: config.image.tag });
    const selector = labeler.selector(name);
    const textfile = config.textfileDirectory !== '';

    const sa = serviceAccount(this, name, ns, labels);
    new k8s.KubeService(this, 'Service', serviceProps([endpoint], labels, selector));

    new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: meta(name, ns, labels),
      spec: nodeAgentDaemonSetSpec(selector, {
        metadata: { labels },
        spec: {
          ...commonPodSpec(common, { serviceAccountName: sa.name }),
          hostNetwork: true,
          hostPid: true,
          // node_exporter reads Linux's /proc and /sys.
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NODE_EXPORTER_UID,
            runAsGroup: NODE_EXPORTER_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          terminationGracePeriodSeconds: 30,
          containers: [{
            name,
            image: imageRef(config.image, common),
            imagePullPolicy: 'IfNotPresent',
            args: nodeExporterArgs(config),
            env: [
              { name: 'HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } },
              goMemLimitEnv(config.resources),
            ],
            ports: [containerPort(endpoint)],
            resources: resources(config.resources),
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
            },
            readinessProbe: httpProbe('/', endpoint.portName, { periodSeconds: 10 }),
            livenessProbe: httpProbe('/', endpoint.portName, { initialDelaySeconds: 10, periodSeconds: 30 }),
            volumeMounts: [
              ...NODE_EXPORTER_HOST_MOUNTS.map((m) => ({
                name: m.name, mountPath: m.mountPath, readOnly: true, ...(m.propagation ? { mountPropagation: m.propagation } : {}),
              })),
              ...(textfile ? [{ name: 'textfile', mountPath: NODE_EXPORTER_TEXTFILE_MOUNT, readOnly: true }] : []),
            ],
          }],
          volumes: [
            ...NODE_EXPORTER_HOST_MOUNTS.map((m) => ({ name: m.name, hostPath: { path: m.hostPath, type: 'Directory' } })),
            ...(textfile ? [{ name: 'textfile', hostPath: { path: config.textfileDirectory, type: 'Directory' } }] : []),
          ],
        },
      }),
    });
  }
}
