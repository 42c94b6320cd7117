/**
 * The `common` section (namespaces, cluster name, labels, registry, priority): its schema, defaults and
 * what each profile changes.
 */
import * as z from 'zod';
import {
  dnsLabel, dnsSubdomain, flag, isLabelValue, labels, list, num, obj, oneOf, report, text, uniqueBy, type ProfileChanges,
} from './fields';
import { userAnnotations } from './pods';

/** Namespaces the stack never deploys into: Kubernetes's own, and `default`. */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** A namespace the stack owns (it puts a default-deny NetworkPolicy there): never a system or shared one. */
function stackNamespace(example: string) {
  return dnsLabel(example).superRefine((v, ctx) => {
    if (RESERVED_NAMESPACES.includes(v) || v.startsWith('kube-')) {
      report(ctx, [], v, 'is reserved for the cluster itself (the stack puts a default-deny NetworkPolicy in its namespaces)', `use a namespace of its own, e.g. "${example}"`);
    }
  });
}

export const commonSchema = obj({
  /** Namespace of the stack's servers (the stores and the dashboards). Labelled Pod Security `restricted`. */
  namespace: stackNamespace('observability'),
  /** Namespace of the per-node agents (container metrics, the log agent), which need host access. */
  agentNamespace: stackNamespace('observability-agents'),
  /** Name of the cluster; becomes the `cluster` external label on every metric, log stream and span metric. */
  clusterName: text(['is not a valid cluster name', 'use letters, digits, "-", "_" or "." (at most 63), e.g. "prod-eu"'],
    (v) => (v !== '' && isLabelValue(v) ? undefined : ['is not a valid cluster name', 'use letters, digits, "-", "_" or "." (at most 63), e.g. "prod-eu"'])),
  /** Extra labels stamped on every object and pod template (never on selectors). */
  labels: labels(true),
  /** Extra annotations on every object and pod template of the manifests. */
  annotations: userAnnotations(),
  /** Default StorageClass for every persistent volume. @default - the cluster's default StorageClass */
  storageClassName: dnsSubdomain('standard').optional(),
  /** Replaces the registry host of every image, e.g. `registry.example.com/mirror`. @default - each image's own registry */
  imageRegistry: text(['is not a registry host (and optional path)', 'use e.g. "registry.example.com/mirror" without a scheme or trailing "/"'],
    (v) => {
      const m = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(?::(\d{1,5}))?(\/[a-z0-9._-]+)*$/.exec(v);
      if (m === null) return ['is not a registry host (and optional path)', 'use e.g. "registry.example.com/mirror" without a scheme or trailing "/"'];
      if (m[2] !== undefined && !(Number(m[2]) >= 1 && Number(m[2]) <= 65535)) return ['has a port outside 1 to 65535', 'use e.g. "registry.example.com:5000/mirror"'];
      return undefined;
    }).optional(),
  /** Secrets (created by the user) used to pull images from a private registry. */
  imagePullSecrets: list(dnsSubdomain('regcred'), '["regcred"]').superRefine(uniqueBy((s) => s, 'is listed twice', 'list each Secret once')),
  /** PriorityClass given to every pod of the stack. @default - none (cluster default priority) */
  priorityClassName: dnsSubdomain('observability-critical').optional(),
  /**
   * Create the PriorityClass named `priorityClassName` (opt-in: many clusters manage their own). A value
   * above the workloads' own (default 0) means the kubelet evicts the stack last under node pressure, and the
   * scheduler places it first; it is the stack that tells you why the node ran out.
   */
  priorityClass: obj({
    create: flag(),
    /** Must stay below 1000000000 (system-cluster-critical and system-node-critical are reserved above it). */
    value: num({ min: 0, max: 1_000_000_000, integer: true, example: 1000000, message: 'is not an integer from 0 to 1000000000 (higher values are reserved for system classes)' }),
    /**
     * `Never`: the stack is ordered first and evicted last but never preempts running workloads to get
     * scheduled. `PreemptLowerPriority` also lets it displace lower-priority pods when the cluster is full.
     */
    preemptionPolicy: oneOf(['Never', 'PreemptLowerPriority'], 'is not a preemption policy', 'use "Never" or "PreemptLowerPriority"'),
  }).readonly(),
}).superRefine((c, ctx) => {
  if (c.namespace === c.agentNamespace) {
    report(ctx, ['agentNamespace'], c.agentNamespace, 'equals common.namespace', 'use a separate namespace for the host agents (they need the privileged Pod Security level)');
  }
  if (c.priorityClass.create) {
    if (c.priorityClassName === undefined) {
      report(ctx, ['priorityClass', 'create'], c.priorityClass.create, 'needs common.priorityClassName (the name of the class to create)', 'set common.priorityClassName, e.g. "observability-critical"');
    } else if (c.priorityClassName.startsWith('system-')) {
      report(ctx, ['priorityClassName'], c.priorityClassName, 'uses the "system-" prefix Kubernetes reserves', 'choose another name, e.g. "observability-critical"');
    }
  }
}).readonly();

export type CommonConfig = z.infer<typeof commonSchema>;
export type PriorityClassSpec = CommonConfig['priorityClass'];

export const COMMON_DEFAULTS: CommonConfig = {
  namespace: 'observability',
  agentNamespace: 'observability-agents',
  clusterName: 'local',
  labels: {},
  annotations: {},
  storageClassName: undefined,
  imageRegistry: undefined,
  imagePullSecrets: [],
  priorityClassName: undefined,
  // Opt-in; 1000000 sits well above ordinary workloads (0) and far below the system classes (2000000000+).
  priorityClass: { create: false, value: 1000000, preemptionPolicy: 'Never' },
};

export const COMMON_PROFILES: ProfileChanges<CommonConfig> = {
  dev: { clusterName: 'kind' },
  prod: { clusterName: 'prod' },
  large: { clusterName: 'large' },
};
