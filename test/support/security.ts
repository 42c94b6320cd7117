/**
 * Test support: pure security and reliability checks over synthesized objects and files. Each returns a
 * list of human-readable violations (empty = compliant), so tests assert `toEqual([])` and a failure names
 * the object and the rule. They read only generic Kubernetes shapes, so they cover every component,
 * including ones merged later.
 */
import { loadAll } from 'js-yaml';
import { parseQuantity } from '../../src/config/units';
import { compareStrings } from '../../src/lib/order';
import type { KubeObject } from './synth';

type Json = any;

export interface PodTemplate {
  /** `Kind namespace/name` of the object that owns the pod spec. */
  readonly owner: string;
  readonly kind: string;
  readonly namespace: string;
  readonly metadata: Json;
  readonly spec: Json;
}

/** Every pod spec in the objects: workloads, Jobs, CronJobs and bare Pods. */
export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const ns = o.metadata.namespace ?? 'default';
    const owner = `${o.kind} ${ns}/${o.metadata.name}`;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind)) {
      out.push({ owner, kind: o.kind, namespace: ns, metadata: o.spec.template.metadata ?? {}, spec: o.spec.template.spec });
    } else if (o.kind === 'CronJob') {
      out.push({ owner, kind: o.kind, namespace: ns, metadata: o.spec.jobTemplate.spec.template.metadata ?? {}, spec: o.spec.jobTemplate.spec.template.spec });
    } else if (o.kind === 'Pod') {
      out.push({ owner, kind: o.kind, namespace: ns, metadata: o.metadata, spec: o.spec });
    }
  }
  return out;
}

function allContainers(spec: Json): Json[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/** Volume types the restricted Pod Security level allows. */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Why a pod spec does not meet the "restricted" Pod Security Standard (empty when it does). */
export function restrictedViolations(t: PodTemplate): string[] {
  const v: string[] = [];
  const s = t.spec;
  const psc = s.securityContext ?? {};
  const fail = (msg: string): void => { v.push(`${t.owner}: ${msg}`); };
  if (s.hostNetwork) fail('hostNetwork');
  if (s.hostPID) fail('hostPID');
  if (s.hostIPC) fail('hostIPC');
  for (const vol of s.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type === undefined || !RESTRICTED_VOLUME_TYPES.includes(type)) fail(`volume ${vol.name} of type ${type}`);
  }
  if (psc.runAsUser === 0) fail('pod runs as uid 0');
  for (const c of allContainers(s)) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged === true) fail(`${where} is privileged`);
    if (sc.allowPrivilegeEscalation !== false) fail(`${where} does not set allowPrivilegeEscalation: false`);
    if (!(sc.runAsNonRoot ?? psc.runAsNonRoot)) fail(`${where} does not set runAsNonRoot: true`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) fail(`${where} runs as uid 0`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') fail(`${where} has seccomp profile ${seccomp}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) fail(`${where} does not drop ALL capabilities`);
    const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) fail(`${where} adds capabilities ${added.join(',')}`);
    if (sc.readOnlyRootFilesystem !== true) fail(`${where} has a writable root filesystem`);
    for (const p of c.ports ?? []) if (p.hostPort !== undefined) fail(`${where} uses hostPort ${p.hostPort}`);
  }
  return v;
}

/** Whether a pod spec needs host access (it can only run in the agents namespace). */
export function isHostAgent(t: PodTemplate): boolean {
  const s = t.spec;
  return Boolean(s.hostNetwork || s.hostPID || s.hostIPC || (s.volumes ?? []).some((v: Json) => v.hostPath)
    || allContainers(s).some((c) => c.securityContext?.privileged || (c.ports ?? []).some((p: Json) => p.hostPort !== undefined)));
}

export interface StackNamespaces {
  readonly namespace: string;
  readonly agentNamespace: string;
}

/**
 * Pod Security of the whole output: the main namespace enforces "restricted" and every pod in it meets it;
 * pods needing host access live only in the agents namespace; no pod lives anywhere else.
 */
export function podSecurityViolations(objects: readonly KubeObject[], ns: StackNamespaces): string[] {
  const v: string[] = [];
  const main = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns.namespace);
  if (main?.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
    v.push(`Namespace ${ns.namespace}: not labelled pod-security.kubernetes.io/enforce=restricted`);
  }
  for (const t of podTemplates(objects)) {
    if (t.namespace === ns.namespace) v.push(...restrictedViolations(t));
    else if (t.namespace !== ns.agentNamespace) v.push(`${t.owner}: outside the stack's namespaces`);
    if (isHostAgent(t) && t.namespace !== ns.agentNamespace) v.push(`${t.owner}: needs host access but is not in ${ns.agentNamespace}`);
  }
  return v;
}

/** ServiceAccounts (`namespace/name`) bound to a Role or ClusterRole. */
export function boundServiceAccounts(objects: readonly KubeObject[]): Set<string> {
  const bound = new Set<string>();
  for (const b of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    for (const s of b.subjects ?? []) {
      if (s.kind === 'ServiceAccount') bound.add(`${s.namespace ?? b.metadata.namespace}/${s.name}`);
    }
  }
  return bound;
}

/** Pods whose ServiceAccount has no permissions must not get an API token mounted. */
export function automountViolations(objects: readonly KubeObject[]): string[] {
  const bound = boundServiceAccounts(objects);
  // The pod's field wins; unset, the ServiceAccount's own decides (Kubernetes' rule; a chart may offer only that one).
  const saMounts = (t: { namespace: string; spec: Json }) => objects.find((o) => o.kind === 'ServiceAccount'
    && o.metadata.name === (t.spec.serviceAccountName ?? 'default') && (o.metadata.namespace ?? 'default') === t.namespace)?.automountServiceAccountToken !== false;
  return podTemplates(objects)
    .filter((t) => !bound.has(`${t.namespace}/${t.spec.serviceAccountName ?? 'default'}`))
    .filter((t) => t.spec.automountServiceAccountToken === true || (t.spec.automountServiceAccountToken === undefined && saMounts(t)))
    .map((t) => `${t.owner}: ServiceAccount ${t.spec.serviceAccountName ?? 'default'} is bound to no Role, but automountServiceAccountToken is not false`);
}

/** Liveness and readiness probes on every long-running container; requests and limits on every container. */
export function probeAndResourceViolations(objects: readonly KubeObject[]): string[] {
  const v: string[] = [];
  for (const t of podTemplates(objects)) {
    const longRunning = t.kind !== 'Job' && t.kind !== 'CronJob';
    for (const c of t.spec.containers ?? []) {
      if (longRunning && !c.livenessProbe) v.push(`${t.owner}: container ${c.name} has no livenessProbe`);
      if (longRunning && !c.readinessProbe) v.push(`${t.owner}: container ${c.name} has no readinessProbe`);
    }
    for (const c of allContainers(t.spec)) {
      for (const k of ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']) {
        const [a, b] = k.split('.');
        if (c.resources?.[a]?.[b] === undefined) v.push(`${t.owner}: container ${c.name} has no ${k}`);
      }
    }
  }
  return v;
}

/** Go's GOMEMLIMIT syntax: a number with an optional B, KiB, MiB, GiB or TiB suffix. */
export function parseGoMemLimit(value: string): number | undefined {
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(value);
  if (!m) return undefined;
  const unit = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }[m[2] ?? 'B'] ?? 1;
  return Number(m[1]) * unit;
}

/** GOMEMLIMIT, where set, must leave headroom below the container's memory limit (else the kernel kills first). */
export function goMemLimitViolations(objects: readonly KubeObject[]): string[] {
  const v: string[] = [];
  for (const t of podTemplates(objects)) {
    for (const c of allContainers(t.spec)) {
      const env = (c.env ?? []).find((e: Json) => e.name === 'GOMEMLIMIT');
      if (env === undefined) continue;
      const where = `${t.owner}: container ${c.name}`;
      const limit = parseQuantity(c.resources?.limits?.memory);
      if (env.value === undefined) {
        v.push(`${where}: GOMEMLIMIT from ${JSON.stringify(env.valueFrom)} equals the limit; set a value below it`);
        continue;
      }
      const soft = parseGoMemLimit(String(env.value));
      if (soft === undefined) v.push(`${where}: GOMEMLIMIT "${env.value}" is not a Go memory size`);
      else if (limit === undefined) v.push(`${where}: GOMEMLIMIT set without a memory limit`);
      else if (soft >= limit) v.push(`${where}: GOMEMLIMIT "${env.value}" is not below limits.memory "${c.resources.limits.memory}"`);
    }
  }
  return v;
}

/**
 * A ReadWriteOnce volume attaches to one node: a rolling update of a Deployment starts the new pod before
 * the old one stops and waits forever for the volume. Such workloads must be StatefulSets or use Recreate.
 */
export function rwoUpdateViolations(objects: readonly KubeObject[]): string[] {
  const claims = new Map(objects.filter((o) => o.kind === 'PersistentVolumeClaim')
    .map((o) => [`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o.spec.accessModes ?? []]));
  const v: string[] = [];
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    const ns = d.metadata.namespace ?? 'default';
    const rwo = (d.spec.template.spec.volumes ?? []).filter((vol: Json) => vol.persistentVolumeClaim)
      .filter((vol: Json) => {
        const modes: string[] = claims.get(`${ns}/${vol.persistentVolumeClaim.claimName}`) ?? ['ReadWriteOnce'];
        return modes.includes('ReadWriteOnce') || modes.includes('ReadWriteOncePod');
      });
    if (rwo.length === 0) continue;
    if ((d.spec.replicas ?? 1) > 1) v.push(`Deployment ${ns}/${d.metadata.name}: ${d.spec.replicas} replicas share a ReadWriteOnce claim`);
    else if (d.spec.strategy?.type !== 'Recreate') v.push(`Deployment ${ns}/${d.metadata.name}: ReadWriteOnce claim with strategy ${d.spec.strategy?.type ?? 'RollingUpdate'} (use Recreate or a StatefulSet)`);
  }
  return v;
}

/** Every replicated Deployment/StatefulSet has a PodDisruptionBudget selecting exactly its pods. */
export function missingDisruptionBudgets(objects: readonly KubeObject[]): string[] {
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  return objects
    .filter((w) => (w.kind === 'Deployment' || w.kind === 'StatefulSet') && (w.spec.replicas ?? 1) > 1)
    .filter((w) => !pdbs.some((p) => p.metadata.namespace === w.metadata.namespace
      && JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(w.spec.selector.matchLabels)))
    .map((w) => `${w.kind} ${w.metadata.namespace}/${w.metadata.name} has ${w.spec.replicas} replicas and no PodDisruptionBudget`);
}

/** Pod-template annotations starting with `checksum/`, keyed by owner. */
export function configChecksums(objects: readonly KubeObject[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const t of podTemplates(objects)) {
    const sums = Object.fromEntries(Object.entries(t.metadata.annotations ?? {}).filter(([k]) => k.startsWith('checksum/'))) as Record<string, string>;
    if (Object.keys(sums).length > 0) out[t.owner] = sums;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Secret material

/** A key whose value is a credential: it ENDS with one of these words (so `bearer_token_file`, `secretName` pass). */
const SENSITIVE_KEY = /(^|[_.\-\s])?(password|passwd|pwd|token|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)$/i;
/** Env var names carrying credentials. */
const SENSITIVE_ENV = /(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/** A value that is a reference, not a credential: empty, an env/file expansion, a placeholder or a boolean. */
function isReference(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  return v === '' || /^\$/.test(v) || /^<.*>$/.test(v) || /^(true|false|null|~)$/i.test(v) || /^\/[\w./-]+$/.test(v);
}

function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return [...counts.values()].reduce((h, n) => h - (n / s.length) * Math.log2(n / s.length), 0);
}

/** Key-looking blobs in free text: PEM blocks, long high-entropy base64 or hex, basic-auth in URLs. */
export function scanText(where: string, text: string): string[] {
  const v: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = `${where}:${i + 1}`;
    if (/-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE|PGP)[A-Z0-9 ]*-----/.test(line)) v.push(`${at}: PEM block`);
    if (/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]+:[^\s/@'"]+@/i.test(line)) v.push(`${at}: credentials in a URL`);
    // Config checksums are SHA-256 of public content, by design.
    if (/^\s*["']?checksum\/[\w.-]+["']?\s*:/.test(line)) return;
    for (const m of line.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/_-])/g)) {
      const s = m[0];
      const mixed = /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s);
      if (mixed && shannonEntropy(s) > 4.2) v.push(`${at}: base64 blob "${s.slice(0, 12)}..."`);
    }
    for (const m of line.matchAll(/(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])/g)) {
      if (/\d/.test(m[0]) && /[a-fA-F]/.test(m[0])) v.push(`${at}: hex blob "${m[0].slice(0, 12)}..."`);
    }
  });
  return v;
}

/** `key: value`, `key = value` and `"key": "value"` lines of a config file with a literal credential. */
export function scanConfigText(where: string, text: string): string[] {
  const v: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^\s*[-"']?\s*["']?([A-Za-z0-9_.\- ]+?)["']?\s*[:=]\s*(.+?)\s*,?\s*$/.exec(line);
    if (m && SENSITIVE_KEY.test(m[1]) && !isReference(m[2]) && !/^[{[|>]$/.test(m[2])) {
      v.push(`${where}:${i + 1}: literal value for "${m[1]}"`);
    }
  });
  return v;
}

/** Objects carrying secret material: Secret payloads, literal credentials in ConfigMaps and env. */
export function scanObjects(where: string, objects: readonly KubeObject[]): string[] {
  const v: string[] = [];
  for (const o of objects) {
    const id = `${where}: ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (o.kind === 'Secret' && (Object.keys(o.data ?? {}).length > 0 || Object.keys(o.stringData ?? {}).length > 0)) {
      v.push(`${id}: Secret with data`);
    }
    if (o.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries({ ...(o.data ?? {}), ...(o.binaryData ?? {}) })) {
        if (SENSITIVE_KEY.test(key) && typeof value === 'string' && !isReference(value)) v.push(`${id}: key ${key} holds a literal credential`);
        if (typeof value === 'string') v.push(...scanConfigText(`${id} key ${key}`, value));
      }
    }
    for (const t of podTemplates([o])) {
      for (const c of allContainers(t.spec)) {
        for (const e of c.env ?? []) {
          if (SENSITIVE_ENV.test(e.name) && e.value !== undefined && !isReference(String(e.value))) {
            v.push(`${id}: container ${c.name} env ${e.name} is a literal (use valueFrom.secretKeyRef)`);
          }
        }
      }
    }
  }
  return v;
}

/** Every finding in a set of output files (path → content). */
export function secretFindings(files: ReadonlyMap<string, string>): string[] {
  const v: string[] = [];
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    v.push(...scanText(path, content));
    if (/\.ya?ml$/.test(path) || path.endsWith('Kustomization')) {
      const docs = (loadAll(content) as KubeObject[]).filter((d) => d !== null && typeof d === 'object')
        .map((d) => ({ ...d, metadata: d.metadata ?? { name: '' } }));
      v.push(...scanObjects(path, docs));
    }
  }
  return v;
}
