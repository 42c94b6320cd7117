/**
 * Upgrade safety: compares the manifests about to be written with the ones they replace and finds what
 * `kubectl apply` or an ArgoCD sync would reject after the fact. Kubernetes refuses a change to an
 * immutable field; the way out is to delete the object (keeping its pods or data where that matters) or to
 * give it a new name, which this says for each field.
 */
import { loadAll } from 'js-yaml';
import { parseQuantity } from '../config/units';

export interface ObjectChange {
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly action: 'add' | 'change' | 'delete';
}

export interface ImmutableChange {
  readonly object: string;
  /** Dotted path of the field, e.g. `spec.volumeClaimTemplates`. */
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
  /** What to run (or change) so the new manifests apply. */
  readonly wayOut: string;
}

export interface UpgradePlan {
  readonly changes: readonly ObjectChange[];
  readonly immutable: readonly ImmutableChange[];
}

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: unknown;
  immutable?: boolean;
}

interface ImmutableRule {
  readonly kinds: readonly string[];
  readonly field: string;
  readonly get: (o: Obj) => unknown;
  readonly wayOut: (o: Obj, id: string) => string;
}

const kubectl = (o: Obj) => `kubectl -n ${o.metadata?.namespace ?? 'default'} delete ${(o.kind ?? '').toLowerCase()} ${o.metadata?.name ?? ''}`;

/** The immutable fields of the kinds obs-stack writes (Kubernetes API validation, apps/v1 and core/v1). */
const RULES: readonly ImmutableRule[] = [
  {
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], field: 'spec.selector', get: (o) => o.spec?.selector,
    wayOut: (o) => `${kubectl(o)} --cascade=orphan, then apply: the new ${o.kind} adopts no old pods (their labels differ), so delete those after the new ones are ready`,
  },
  {
    kinds: ['StatefulSet'], field: 'spec.volumeClaimTemplates', get: (o) => o.spec?.volumeClaimTemplates,
    wayOut: (o) => `${kubectl(o)} --cascade=orphan, then apply: the pods and their PersistentVolumeClaims stay and the new StatefulSet takes them over (a claim's own size or class does not change; resize it separately)`,
  },
  {
    kinds: ['StatefulSet'], field: 'spec.serviceName', get: (o) => o.spec?.serviceName,
    wayOut: (o) => `${kubectl(o)} --cascade=orphan, then apply (the claims stay)`,
  },
  {
    kinds: ['StatefulSet'], field: 'spec.podManagementPolicy', get: (o) => o.spec?.podManagementPolicy,
    wayOut: (o) => `${kubectl(o)} --cascade=orphan, then apply (the claims stay)`,
  },
  {
    kinds: ['Service'], field: 'spec.clusterIP', get: (o) => o.spec?.clusterIP ?? o.spec?.clusterIp,
    wayOut: (o) => `${kubectl(o)}, then apply: clients resolve the new address once DNS updates`,
  },
  {
    kinds: ['PersistentVolumeClaim'], field: 'spec.storageClassName', get: (o) => o.spec?.storageClassName,
    wayOut: (o) => `${kubectl(o)} after copying its data, or keep the old class`,
  },
  {
    kinds: ['PersistentVolumeClaim'], field: 'spec.accessModes', get: (o) => o.spec?.accessModes,
    wayOut: (o) => `${kubectl(o)} after copying its data, or keep the old access modes`,
  },
  {
    kinds: ['Job'], field: 'spec.template', get: (o) => o.spec?.template,
    wayOut: (o) => `${kubectl(o)}, then apply`,
  },
  {
    kinds: ['ConfigMap', 'Secret'], field: 'data', get: (o) => (o.immutable === true ? o.data : undefined),
    wayOut: (o) => `${kubectl(o)}, then apply (it is marked immutable)`,
  },
  {
    kinds: ['RoleBinding', 'ClusterRoleBinding'], field: 'roleRef', get: (o) => (o as { roleRef?: unknown }).roleRef,
    wayOut: (o) => `${kubectl(o)}, then apply`,
  },
];

/** A claim's requested storage may grow (where its class allows expansion) but never shrink. */
function claimShrink(b: Obj, a: Obj): Omit<ImmutableChange, 'object'> | undefined {
  if (a.kind !== 'PersistentVolumeClaim') return undefined;
  const size = (o: Obj) => (o.spec?.resources as { requests?: { storage?: string } } | undefined)?.requests?.storage;
  const was = parseQuantity(size(b));
  const is = parseQuantity(size(a));
  if (was === undefined || is === undefined || is >= was) return undefined;
  return {
    field: 'spec.resources.requests.storage', before: size(b), after: size(a),
    wayOut: `a claim cannot shrink: keep ${size(b)}, or ${kubectl(a)} after copying its data`,
  };
}

/** A canonical JSON text (keys sorted), so two equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function idOf(o: Obj): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name}`;
}

/** Every Kubernetes object in a set of manifest files (path → YAML text), by `Kind namespace/name`. */
export function objectsOf(files: ReadonlyMap<string, string>): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!/\.ya?ml$/.test(path)) continue;
    for (const doc of loadAll(text) as Obj[]) {
      if (doc === null || typeof doc !== 'object' || typeof doc.kind !== 'string' || doc.kind === 'Kustomization') continue;
      out.set(idOf(doc), doc);
    }
  }
  return out;
}

/** What applying `next` over `previous` adds, changes, deletes, and which changes Kubernetes will refuse. */
export function planUpgrade(previous: ReadonlyMap<string, string>, next: ReadonlyMap<string, string>): UpgradePlan {
  // A file with the same text before and after holds the same objects, unchanged: only the others are read
  // (an object lives in one file of an environment's manifests).
  const differs = (files: ReadonlyMap<string, string>, other: ReadonlyMap<string, string>) => new Map([...files].filter(([p, t]) => other.get(p) !== t));
  const before = objectsOf(differs(previous, next));
  const after = objectsOf(differs(next, previous));
  const changes: ObjectChange[] = [];
  const immutable: ImmutableChange[] = [];
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (b === undefined) { changes.push({ object: id, action: 'add' }); continue; }
    if (a === undefined) { changes.push({ object: id, action: 'delete' }); continue; }
    if (canonical(a) === canonical(b)) continue;
    changes.push({ object: id, action: 'change' });
    for (const rule of RULES) {
      if (!rule.kinds.includes(a.kind ?? '')) continue;
      const was = rule.get(b);
      const is = rule.get(a);
      // An unset clusterIP is allocated by the API server: only an explicit change is refused.
      if (rule.field === 'spec.clusterIP' && (was === undefined || is === undefined)) continue;
      if (rule.field === 'data' && (b.immutable !== true)) continue;
      if (canonical(was) !== canonical(is)) immutable.push({ object: id, field: rule.field, before: was, after: is, wayOut: rule.wayOut(a, id) });
    }
    const shrink = claimShrink(b, a);
    if (shrink) immutable.push({ object: id, ...shrink });
  }
  return { changes, immutable };
}

/** The plan as lines for the terminal: objects added, changed and deleted, then every refused change. */
export function formatPlan(plan: UpgradePlan): string {
  const count = (action: ObjectChange['action']) => plan.changes.filter((c) => c.action === action);
  const lines = [`upgrade plan: ${count('add').length} to add, ${count('change').length} to change, ${count('delete').length} to delete`];
  for (const c of count('delete')) lines.push(`  delete ${c.object}`);
  for (const i of plan.immutable) {
    lines.push(`  immutable: ${i.object} ${i.field} changes from ${JSON.stringify(i.before)} to ${JSON.stringify(i.after)}; ${i.wayOut}`);
  }
  return lines.join('\n');
}
