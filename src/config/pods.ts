/**
 * What every component's `pods` field holds: where the component's pods may run (`nodeSelector`,
 * `tolerations`, `affinity`, spelled and checked as Kubernetes spells and checks them) and the labels and
 * annotations added to its pod templates. Also the annotation maps of `common.annotations`. Each
 * component's slice includes `pods` (`src/components/<name>/config.ts`); the composition root applies it
 * to every pod template of that component's chart (`src/lib/pod-settings.ts`).
 */
import * as z from 'zod';
import { CONFIG_CHECKSUM_ANNOTATION } from '../lib/kube';
import {
  dnsLabel, hasInvisible, isLabelValue, labelKeyVerdict, labels, list, num, obj, oneOf, report, stringMap, text, type Verdict,
} from './fields';

/** Kubernetes caps the annotations of one object at 256 KiB (keys and values together). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/**
 * Annotations obs-stack writes itself (or a tool that reads them does), refused in user maps: the config
 * checksum that rolls pods, ArgoCD's sync wave, obs-stack's own notes, kubectl's bookkeeping, and the
 * `prometheus.io/` scrape annotations (the stack's pods are scraped by their own jobs).
 */
const RESERVED_ANNOTATIONS: readonly string[] = [CONFIG_CHECKSUM_ANNOTATION, 'argocd.argoproj.io/sync-wave'];
const RESERVED_ANNOTATION_PREFIXES: readonly string[] = ['obs-stack/', 'kubectl.kubernetes.io/', 'prometheus.io/'];

function annotationKeyVerdict(key: string): Verdict {
  const syntax = labelKeyVerdict(false)(key);
  if (syntax !== undefined) return ['is not a valid annotation key', 'use e.g. "example.com/owner" (a DNS prefix, "/", then at most 63 letters, digits, "-", "_" or ".")'];
  if (RESERVED_ANNOTATIONS.includes(key) || RESERVED_ANNOTATION_PREFIXES.some((p) => key.startsWith(p))) {
    return ['is written by obs-stack itself (or read by a tool the stack configures)',
      `choose another key: ${[...RESERVED_ANNOTATIONS, ...RESERVED_ANNOTATION_PREFIXES.map((p) => `${p}*`)].join(', ')} are reserved`];
  }
  return undefined;
}

const annotationValue = text(['must be a string', 'write the value in quotes, e.g. "true"'], (v) => {
  // Line breaks and tabs are fine in an annotation (JSON or YAML blobs); other invisible characters are not.
  if (hasInvisible(v.replace(/[\n\t]/g, ''))) return ['contains a control, zero-width or other invisible character', 'retype the value with visible characters only'];
  return undefined;
});

/** Annotations a user adds: label-style keys outside the reserved ones, string values, 256 KiB in all. */
export function userAnnotations() {
  return stringMap(annotationKeyVerdict, annotationValue, '{ "example.com/owner": "team-a" }').superRefine((map, ctx) => {
    const bytes = Object.entries(map).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (bytes > ANNOTATIONS_MAX_BYTES) {
      report(ctx, [], `${bytes} bytes`, `exceeds the ${ANNOTATIONS_MAX_BYTES} bytes Kubernetes allows for the annotations of one object`, 'shorten the values or keep large data in a ConfigMap');
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Label selectors and node selector terms

const labelKey = text(['must be a string', 'use a label key, e.g. "topology.kubernetes.io/zone"'], (v) => {
  const p = labelKeyVerdict(false)(v);
  return p === undefined ? undefined : ['is not a valid label key', 'use e.g. "topology.kubernetes.io/zone" or "node-role"'];
});

const selectorValue = text(['is not a valid label value', 'use at most 63 letters, digits, "-", "_" or "."'],
  (v) => (isLabelValue(v) ? undefined : ['is not a valid label value', 'use at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric']));

/** Checks `values` against the operator: a set for In/NotIn, none for Exists/DoesNotExist, one integer for Gt/Lt. */
function operatorValues(r: { operator: string; values?: readonly string[] }, ctx: z.RefinementCtx<unknown>): void {
  const values = r.values ?? [];
  if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) {
    report(ctx, ['values'], r.values, `must list at least one value for operator "${r.operator}"`, 'add the values, e.g. ["a", "b"]');
  }
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) {
    report(ctx, ['values'], r.values, `must be empty for operator "${r.operator}"`, 'remove values');
  }
  if ((r.operator === 'Gt' || r.operator === 'Lt') && (values.length !== 1 || !/^-?\d{1,18}$/.test(values[0]))) {
    report(ctx, ['values'], r.values, `must be exactly one integer for operator "${r.operator}"`, 'use e.g. ["4"]');
  }
}

/** `matchExpressions[]` of a label selector (In, NotIn, Exists, DoesNotExist). */
const labelRequirementSchema = obj({
  key: labelKey,
  operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist'], 'is not a label selector operator', 'use "In", "NotIn", "Exists" or "DoesNotExist"'),
  values: list(selectorValue, '["a", "b"]').optional(),
}).superRefine(operatorValues).readonly();

/** A Kubernetes label selector: `matchLabels` and `matchExpressions`, all of which must hold. */
export const labelSelectorSchema = obj({
  matchLabels: labels(false).optional(),
  matchExpressions: list(labelRequirementSchema, '[{ key: "tier", operator: "In", values: ["web"] }]').optional(),
}).readonly();

export type LabelSelectorSpec = z.infer<typeof labelSelectorSchema>;

/** Whether a selector selects everything (no requirement at all). */
export function isEmptySelector(s: LabelSelectorSpec): boolean {
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

const nodeRequirementSchema = obj({
  key: labelKey,
  operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'], 'is not a node selector operator', 'use "In", "NotIn", "Exists", "DoesNotExist", "Gt" or "Lt"'),
  values: list(text(['must be a string', 'use e.g. "amd64"']), '["amd64"]').optional(),
}).superRefine(operatorValues).readonly();

/** `matchFields[]`: Kubernetes supports `metadata.name` only, with In or NotIn and one node name. */
const nodeFieldRequirementSchema = obj({
  key: oneOf(['metadata.name'], 'is not a node field Kubernetes can match', 'use "metadata.name"'),
  operator: oneOf(['In', 'NotIn'], 'is not an operator for metadata.name', 'use "In" or "NotIn"'),
  values: list(text(['must be a string', 'use a node name, e.g. "node-1"']), '["node-1"]'),
}).superRefine((r, ctx) => {
  if (r.values.length !== 1) report(ctx, ['values'], r.values, 'must hold exactly one node name', 'use e.g. ["node-1"]');
}).readonly();

const nodeSelectorTermSchema = obj({
  matchExpressions: list(nodeRequirementSchema, '[{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }]').optional(),
  matchFields: list(nodeFieldRequirementSchema, '[{ key: "metadata.name", operator: "In", values: ["node-1"] }]').optional(),
}).superRefine((t, ctx) => {
  if ((t.matchExpressions ?? []).length === 0 && (t.matchFields ?? []).length === 0) {
    report(ctx, [], t, 'has no requirement (a term without one matches no node)', 'add matchExpressions, e.g. [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }]');
  }
}).readonly();

const weight = num({ min: 1, max: 100, integer: true, example: 50, message: 'is not a weight', bound: 'an integer from 1 to 100' });

const podAffinityTermSchema = obj({
  labelSelector: labelSelectorSchema.optional(),
  /** Namespaces the term looks in. @default - the pod's own namespace */
  namespaces: list(dnsLabel('observability'), '["observability"]').optional(),
  namespaceSelector: labelSelectorSchema.optional(),
  topologyKey: labelKey,
}).readonly();

const podAffinitySchema = obj({
  requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTermSchema, '[{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "db" } } }]').optional(),
  preferredDuringSchedulingIgnoredDuringExecution: list(obj({ weight, podAffinityTerm: podAffinityTermSchema }).readonly(),
    '[{ weight: 50, podAffinityTerm: { topologyKey: "kubernetes.io/hostname" } }]').optional(),
}).readonly();

/** A pod's `affinity`, as Kubernetes spells it. */
export const affinitySchema = obj({
  nodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: obj({
      nodeSelectorTerms: list(nodeSelectorTermSchema, '[{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] }]')
        .superRefine((terms, ctx) => {
          if (terms.length === 0) report(ctx, [], terms, 'is empty, which no node matches', 'add a term, or remove requiredDuringSchedulingIgnoredDuringExecution');
        }),
    }).readonly().optional(),
    preferredDuringSchedulingIgnoredDuringExecution: list(obj({ weight, preference: nodeSelectorTermSchema }).readonly(),
      '[{ weight: 50, preference: { matchExpressions: [{ key: "pool", operator: "In", values: ["observability"] }] } }]').optional(),
  }).readonly().optional(),
  podAffinity: podAffinitySchema.optional(),
  podAntiAffinity: podAffinitySchema.optional(),
}).readonly();

// ---------------------------------------------------------------------------------------------------
// Tolerations

const tolerationSchema = obj({
  /** The taint key; empty (left out) with operator `Exists` tolerates every taint. */
  key: labelKey.optional(),
  /** @default "Equal" */
  operator: oneOf(['Exists', 'Equal'], 'is not a toleration operator', 'use "Equal" or "Exists"').optional(),
  value: selectorValue.optional(),
  /** @default - every effect */
  effect: oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], 'is not a taint effect', 'use "NoSchedule", "PreferNoSchedule" or "NoExecute"').optional(),
  /** How long the pod stays on a node after a NoExecute taint appears. @default - forever */
  tolerationSeconds: num({ min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, example: 300, message: 'is not a number of seconds', bound: 'a non-negative integer' }).optional(),
}).superRefine((t, ctx) => {
  const operator = t.operator ?? 'Equal';
  if (t.key === undefined && operator !== 'Exists') {
    report(ctx, ['operator'], t.operator, 'must be "Exists" when no key is given (tolerating every taint)', 'set operator: "Exists", or give the taint key');
  }
  if (operator === 'Exists' && t.value !== undefined) {
    report(ctx, ['value'], t.value, 'is not allowed with operator "Exists"', 'remove value, or use operator "Equal"');
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    report(ctx, ['tolerationSeconds'], t.tolerationSeconds, 'applies only to effect "NoExecute"', 'set effect: "NoExecute", or remove tolerationSeconds');
  }
}).readonly();

// ---------------------------------------------------------------------------------------------------
// The `pods` field

export const podsSchema = obj({
  /** Node labels a node must have to run the component's pods, added to the stack's own (e.g. a node agent's `kubernetes.io/os`). */
  nodeSelector: labels(false),
  /** Taints the component's pods tolerate, after the stack's own (the node agents tolerate every taint already). */
  tolerations: list(tolerationSchema, '[{ key: "dedicated", operator: "Equal", value: "observability", effect: "NoSchedule" }]'),
  /** Node and pod (anti-)affinity; its terms are added to the stack's own (the replicas' spread). @default - none */
  affinity: affinitySchema,
  /** Labels added to the component's pod templates (never to selectors; not under app.kubernetes.io/). */
  labels: labels(true),
  /** Annotations added to the component's pod templates. */
  annotations: userAnnotations(),
}).readonly();

export type PodSettings = z.infer<typeof podsSchema>;
export type AffinitySpec = z.infer<typeof affinitySchema>;
export type TolerationSpec = PodSettings['tolerations'][number];

/** No placement rules and nothing added: every component's default. */
export const POD_DEFAULTS: PodSettings = { nodeSelector: {}, tolerations: [], affinity: {}, labels: {}, annotations: {} };

/** Whether the settings change nothing. */
export function isDefaultPods(p: PodSettings): boolean {
  return Object.keys(p.nodeSelector).length === 0 && p.tolerations.length === 0 && Object.keys(p.affinity).length === 0
    && Object.keys(p.labels).length === 0 && Object.keys(p.annotations).length === 0;
}
