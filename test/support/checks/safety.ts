/**
 * Workload safety, in the spirit of Polaris: resources, probes, pinned images, a locked-down security
 * context, and no service account token where nothing needs one. Host agents may be exempted from named
 * items, only in the agent namespace, only through `hostAgentExemptions`, each with its reason.
 */
import { type KubeObject, type Problem, containersOf, objectId, podTemplate, podTemplatePath } from './problem';

export type SafetyItem =
  | 'requests' | 'limits' | 'livenessProbe' | 'readinessProbe' | 'imageTag'
  | 'runAsNonRoot' | 'readOnlyRootFilesystem' | 'allowPrivilegeEscalation' | 'dropAllCapabilities' | 'automountToken';

export interface SafetyExemption {
  /** Workload name (metadata.name). */
  readonly workload: string;
  readonly namespace: string;
  readonly items: readonly SafetyItem[];
  readonly reason: string;
}

/**
 * The host agents' exemptions. cAdvisor reads root-owned cgroup files and the runtime socket as root;
 * privileged (for /dev/kmsg) implies escalation and all capabilities. The log agents read root-owned
 * files under /var/log. Everything else applies to them as to any pod.
 */
export function hostAgentExemptions(agentNamespace: string, opts: { cadvisorPrivileged?: boolean } = {}): SafetyExemption[] {
  return [
    {
      workload: 'cadvisor', namespace: agentNamespace,
      items: opts.cadvisorPrivileged ? ['runAsNonRoot', 'allowPrivilegeEscalation', 'dropAllCapabilities'] : ['runAsNonRoot'],
      reason: 'reads cgroup files and the container runtime socket as root; privileged mode reads /dev/kmsg',
    },
    { workload: 'promtail', namespace: agentNamespace, items: ['runAsNonRoot'], reason: 'reads root-owned pod logs under /var/log' },
    { workload: 'alloy', namespace: agentNamespace, items: ['runAsNonRoot'], reason: 'reads root-owned pod logs under /var/log' },
  ];
}

/** ServiceAccounts (`ns/name`) bound to any Role or ClusterRole in the output. */
function boundServiceAccounts(objects: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const b of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    for (const s of b.subjects ?? []) if (s.kind === 'ServiceAccount') out.add(`${s.namespace ?? b.metadata.namespace}/${s.name}`);
  }
  return out;
}

/** True when an image reference has a fixed tag other than `latest`, or a digest. */
export function isPinnedImage(image: string | undefined): boolean {
  if (!image) return false;
  if (image.includes('@sha256:')) return true;
  const lastSegment = image.split('/').pop()!;
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

export function checkWorkloadSafety(objects: readonly KubeObject[], exemptions: readonly SafetyExemption[]): Problem[] {
  const out: Problem[] = [];
  const bound = boundServiceAccounts(objects);
  for (const o of objects) {
    const tpl = podTemplate(o);
    if (!tpl) continue;
    const exempt = new Set(exemptions.filter((e) => e.workload === o.metadata.name && e.namespace === o.metadata.namespace).flatMap((e) => e.items));
    const p = (item: SafetyItem, path: string, message: string) => {
      if (!exempt.has(item)) out.push({ check: 'safety', object: objectId(o), path, message: `${item}: ${message}` });
    };
    const base = podTemplatePath(o);
    const spec = tpl.spec ?? {};
    const podSc = spec.securityContext ?? {};

    const sa = spec.serviceAccountName ?? 'default';
    const saObj = objects.find((x) => x.kind === 'ServiceAccount' && x.metadata.name === sa && x.metadata.namespace === o.metadata.namespace);
    const mounts = spec.automountServiceAccountToken ?? saObj?.automountServiceAccountToken ?? true;
    if (mounts && !bound.has(`${o.metadata.namespace}/${sa}`)) {
      p('automountToken', `${base}/spec/automountServiceAccountToken`, `ServiceAccount ${sa} is bound to no role, so the pod should not mount its token (set automountServiceAccountToken: false)`);
    }

    for (const { container: c, path, init } of containersOf(spec, base)) {
      const r = c.resources ?? {};
      for (const res of ['cpu', 'memory']) {
        if (r.requests?.[res] === undefined) p('requests', `${path}/resources/requests`, `container ${c.name} has no ${res} request`);
        if (r.limits?.[res] === undefined) p('limits', `${path}/resources/limits`, `container ${c.name} has no ${res} limit`);
      }
      if (!init) {
        if (!c.livenessProbe) p('livenessProbe', `${path}/livenessProbe`, `container ${c.name} has no liveness probe`);
        if (!c.readinessProbe) p('readinessProbe', `${path}/readinessProbe`, `container ${c.name} has no readiness probe`);
      }
      if (!isPinnedImage(c.image)) p('imageTag', `${path}/image`, `container ${c.name} image "${c.image}" is untagged or :latest`);
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) p('runAsNonRoot', `${path}/securityContext/runAsNonRoot`, `container ${c.name} may run as root`);
      if (sc.readOnlyRootFilesystem !== true) p('readOnlyRootFilesystem', `${path}/securityContext/readOnlyRootFilesystem`, `container ${c.name} has a writable root filesystem`);
      if (sc.allowPrivilegeEscalation !== false || sc.privileged === true) p('allowPrivilegeEscalation', `${path}/securityContext/allowPrivilegeEscalation`, `container ${c.name} may escalate privileges`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL') || sc.privileged === true) p('dropAllCapabilities', `${path}/securityContext/capabilities/drop`, `container ${c.name} does not drop ALL capabilities`);
    }
  }
  return out;
}
