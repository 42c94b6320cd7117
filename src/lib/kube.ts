/**
 * Building blocks every component uses for its Kubernetes objects: metadata, images, resources,
 * security contexts, probes, data volumes, Services. Components call these instead of spelling the
 * same objects out again, so a hardening change lands everywhere at once.
 */
import { createHash } from 'node:crypto';
import { ApiObject, type Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { CommonConfig, ImageSpec, ResourceSpec, StorageSpec } from '../config/types';
import * as k8s from '../../imports/k8s';
import type { Endpoint } from './endpoints';
import { goMemLimit, parseQuantity } from '../config/units';

/** Annotation carrying the hash of a component's rendered configuration on its pod template. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

/**
 * SHA-256 over configuration content only (never labels or metadata), so a config change rolls the pods
 * and nothing else does. Parts are length-prefixed so ["ab","c"] and ["a","bc"] differ.
 */
export function configChecksum(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:${p}`);
  return h.digest('hex');
}

/** The image reference for a component, with `common.imageRegistry` applied when set. */
export function imageRef(img: ImageSpec, common: CommonConfig): string {
  let repo = img.repository;
  if (common.imageRegistry !== undefined) {
    const [first, ...rest] = repo.split('/');
    // The first segment is a registry host when it has a dot or a port (docker.io, quay.io, localhost:5000).
    const path = first.includes('.') || first.includes(':') || first === 'localhost' ? rest.join('/') : repo;
    repo = `${common.imageRegistry}/${path}`;
  }
  return `${repo}:${img.tag}`;
}

export function quantity(v: string): k8s.Quantity {
  return k8s.Quantity.fromString(v);
}

export function resources(r: ResourceSpec): k8s.ResourceRequirements {
  return {
    requests: { cpu: quantity(r.requests.cpu), memory: quantity(r.requests.memory) },
    limits: { cpu: quantity(r.limits.cpu), memory: quantity(r.limits.memory) },
  };
}

/**
 * `GOMEMLIMIT` for a Go component: the Go runtime does not read the cgroup memory limit, so without it the
 * heap grows until the kernel's OOM killer ends the pod; with it the garbage collector works harder near
 * 90% of the limit instead. Every Go binary honours it (some also set it from the cgroup by themselves).
 */
export function goMemLimitEnv(r: ResourceSpec): k8s.EnvVar {
  return { name: 'GOMEMLIMIT', value: goMemLimit(parseQuantity(r.limits.memory) ?? 0) };
}

/**
 * Pod security for the restricted Pod Security profile: non-root with a fixed uid/gid, RuntimeDefault
 * seccomp, and group ownership of mounted volumes so the process can write its data.
 */
export function restrictedPodSecurity(uid: number, gid: number = uid): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container security for the restricted profile: no privilege escalation, no capabilities, read-only root. */
export const RESTRICTED_CONTAINER_SECURITY: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/** Standard metadata for a namespaced object. */
export function meta(name: string, namespace: string, labels: Record<string, string>, annotations?: Record<string, string>): k8s.ObjectMeta {
  return annotations && Object.keys(annotations).length > 0 ? { name, namespace, labels, annotations } : { name, namespace, labels };
}

/** A container port declared from an endpoint (the same name the Service targets). */
export function containerPort(ep: Endpoint): k8s.ContainerPort {
  return { name: ep.portName, containerPort: ep.port, protocol: 'TCP' };
}

/** A Service port for an endpoint, targeting the container port by name. */
export function servicePort(ep: Endpoint): k8s.ServicePort {
  return {
    name: ep.portName,
    port: ep.port,
    targetPort: k8s.IntOrString.fromString(ep.portName),
    protocol: 'TCP',
    // Plain TCP (memberlist gossip) has no application protocol name worth declaring.
    ...(ep.protocol === 'tcp' ? {} : { appProtocol: ep.protocol }),
  };
}

/** The name of the UDP twin of an endpoint that also carries UDP (`Endpoint.udp`). */
export function udpPortName(ep: Endpoint): string {
  return `${ep.portName}-udp`;
}

/** The container ports of an endpoint: TCP, plus its UDP twin where the port also carries UDP. */
export function containerPorts(ep: Endpoint): k8s.ContainerPort[] {
  return [containerPort(ep), ...(ep.udp ? [{ name: udpPortName(ep), containerPort: ep.port, protocol: 'UDP' }] : [])];
}

/** The Service ports of an endpoint: TCP, plus its UDP twin where the port also carries UDP. */
export function servicePorts(ep: Endpoint): k8s.ServicePort[] {
  return [
    servicePort(ep),
    ...(ep.udp ? [{ name: udpPortName(ep), port: ep.port, targetPort: k8s.IntOrString.fromString(udpPortName(ep)), protocol: 'UDP' }] : []),
  ];
}

/** A ClusterIP Service exposing `endpoints` (all of one component) and selecting `selector`. */
export function serviceProps(endpoints: readonly Endpoint[], labels: Record<string, string>, selector: Record<string, string>): k8s.KubeServiceProps {
  const first = endpoints[0];
  if (endpoints.some((e) => e.service !== first.service || e.namespace !== first.namespace)) {
    throw new Error(`serviceProps: endpoints of different Services given (${endpoints.map((e) => e.address).join(', ')})`);
  }
  return {
    metadata: meta(first.service, first.namespace, labels),
    spec: { type: 'ClusterIP', selector, ports: endpoints.flatMap(servicePorts) },
  };
}

export interface ProbeTimings {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/** An HTTP GET probe on a named port. */
export function httpProbe(path: string, portName: string, t: ProbeTimings = {}): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromString(portName), scheme: 'HTTP' },
    initialDelaySeconds: t.initialDelaySeconds ?? 0,
    periodSeconds: t.periodSeconds ?? 10,
    timeoutSeconds: t.timeoutSeconds ?? 5,
    failureThreshold: t.failureThreshold ?? 3,
  };
}

/**
 * A startup probe for components that replay a WAL or build an index on start: it allows
 * `maxStartupSeconds` before liveness takes over, so a long replay is not killed half-way.
 */
export function startupProbe(path: string, portName: string, maxStartupSeconds: number): k8s.Probe {
  const periodSeconds = 10;
  return httpProbe(path, portName, { periodSeconds, failureThreshold: Math.ceil(maxStartupSeconds / periodSeconds) });
}

/** Name of the volume (or claim) holding a component's data, in every component. */
export const DATA_VOLUME = 'data';

/** A component's data directory: a volumeClaimTemplate (persistent) or a size-capped emptyDir. */
export interface DataStorage {
  /** Pod volumes to add (the emptyDir when not persistent). */
  readonly volumes: k8s.Volume[];
  /** StatefulSet volumeClaimTemplates (the claim when persistent). */
  readonly volumeClaimTemplates: k8s.KubePersistentVolumeClaimProps[];
}

/**
 * `claimLabels` go on the volumeClaimTemplate, which a StatefulSet can never change after creation: pass
 * selector labels (no version), or the next upgrade is refused.
 */
export function dataStorage(volumeName: string, storage: StorageSpec, common: CommonConfig, claimLabels: Record<string, string>): DataStorage {
  if (!storage.persistent) {
    return { volumes: [scratchVolume(volumeName, storage.size)], volumeClaimTemplates: [] };
  }
  const storageClassName = storage.storageClassName ?? common.storageClassName;
  return {
    volumes: [],
    volumeClaimTemplates: [{
      metadata: { name: volumeName, labels: claimLabels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(storageClassName !== undefined ? { storageClassName } : {}),
        resources: { requests: { storage: quantity(storage.size) } },
      },
    }],
  };
}

/** A writable scratch directory for a read-only root filesystem. */
export function scratchVolume(name: string, sizeLimit = '64Mi'): k8s.Volume {
  return { name, emptyDir: { sizeLimit: quantity(sizeLimit) } };
}

/** Pod-level settings shared by every pod of the stack (priority, pull secrets, service account token). */
export function commonPodSpec(common: CommonConfig, opts: { serviceAccountName?: string; automountToken?: boolean } = {}): Partial<k8s.PodSpec> {
  return {
    ...(opts.serviceAccountName !== undefined ? { serviceAccountName: opts.serviceAccountName } : {}),
    automountServiceAccountToken: opts.automountToken ?? false,
    ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
    ...(common.imagePullSecrets.length > 0 ? { imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })) } : {}),
    enableServiceLinks: false,
  };
}

/**
 * A ServiceAccount (id `ServiceAccount`) whose token is not mounted: a pod that calls the API asks for it
 * (`commonPodSpec(..., { automountToken: true })`).
 */
export function serviceAccount(scope: Construct, name: string, namespace: string, labels: Record<string, string>, annotations?: Record<string, string>): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata: meta(name, namespace, labels, annotations), automountServiceAccountToken: false });
}

/**
 * A ServiceAccount `name` in `namespace`, bound to a ClusterRole that grants `rules`: for pods that read
 * the API cluster-wide (pod discovery). The cluster-scoped role and binding are named `<namespace>-<name>`
 * so two stacks on one cluster never overwrite each other's. Created under `scope` with the ids
 * `ServiceAccount`, `ClusterRole` and `ClusterRoleBinding`, in that order. The account does not mount its
 * token by default: the pod that calls the API asks for it (`commonPodSpec(..., { automountToken: true })`).
 */
export function clusterRoleServiceAccount(
  scope: Construct, name: string, namespace: string, labels: Record<string, string>, rules: k8s.PolicyRule[],
): k8s.KubeServiceAccount {
  const sa = serviceAccount(scope, name, namespace, labels);
  const clusterRoleName = `${namespace}-${name}`;
  new k8s.KubeClusterRole(scope, 'ClusterRole', { metadata: { name: clusterRoleName, labels }, rules });
  new k8s.KubeClusterRoleBinding(scope, 'ClusterRoleBinding', {
    metadata: { name: clusterRoleName, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace }],
  });
  return sa;
}

/**
 * The DaemonSet spec of a node agent (log agent, container metrics): one pod on every node, control plane and
 * tainted pools included (every taint is tolerated: their containers run, log and use resources too),
 * replaced one node at a time on update.
 */
export function nodeAgentDaemonSetSpec(selector: Record<string, string>, template: { metadata: k8s.ObjectMeta; spec: Omit<k8s.PodSpec, 'tolerations'> }): k8s.DaemonSetSpec {
  return {
    selector: { matchLabels: selector },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
    template: { metadata: template.metadata, spec: { ...template.spec, tolerations: [{ operator: 'Exists' }] } },
  };
}

interface ReplicatedWorkloadJson {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
}

/**
 * Adds a PodDisruptionBudget (`maxUnavailable: 1`) next to every Deployment or StatefulSet of `chart` that
 * runs more than one replica, so a node drain never takes all replicas at once. The composition root calls
 * it on every chart after the components are built: a component only sets `replicas`.
 *
 * Single-replica workloads get none on purpose: a budget that allows no disruption blocks `kubectl drain`
 * forever, and one that allows it protects nothing.
 */
export function addDisruptionBudgets(chart: Chart, objectJson: (o: ApiObject) => unknown = (o) => o.toJson()): k8s.KubePodDisruptionBudget[] {
  const added: k8s.KubePodDisruptionBudget[] = [];
  for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
    if (obj.kind !== 'Deployment' && obj.kind !== 'StatefulSet') continue;
    const w = objectJson(obj) as ReplicatedWorkloadJson;
    // Kubernetes defaults `replicas` to 1.
    if ((w.spec?.replicas ?? 1) <= 1) continue;
    added.push(new k8s.KubePodDisruptionBudget(chart, `${obj.node.id}DisruptionBudget`, {
      metadata: meta(w.metadata.name, w.metadata.namespace ?? 'default', w.metadata.labels ?? {}),
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...(w.spec?.selector?.matchLabels ?? {}) } },
        // Pods that are not ready yet may be evicted: they serve nothing, and keeping them blocks drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    }));
  }
  return added;
}

/**
 * Spreads the replicas of a workload over nodes and zones: `affinity` and `topologySpreadConstraints` for
 * its pod spec, empty for a single replica. Every multi-replica component uses this, so they all spread the
 * same way.
 *
 * Preferences, not requirements: a required anti-affinity would leave replicas Pending on a cluster with
 * fewer nodes (or zones) than replicas, which is worse than two replicas sharing a node. The scheduler
 * still places them apart whenever it can.
 */
export function spreadReplicas(replicas: number, selector: Record<string, string>): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  if (replicas <= 1) return {};
  const labelSelector = { matchLabels: { ...selector } };
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector } }],
      },
    },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    ],
  };
}

/** A headless Service (`clusterIP: None`) for peer discovery: DNS returns every selected pod's address. */
export function headlessServiceProps(
  endpoints: readonly Endpoint[], labels: Record<string, string>, selector: Record<string, string>, opts: { publishNotReadyAddresses?: boolean } = {},
): k8s.KubeServiceProps {
  const base = serviceProps(endpoints, labels, selector);
  return {
    ...base,
    spec: { ...base.spec, clusterIp: 'None', ...(opts.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}) },
  };
}
