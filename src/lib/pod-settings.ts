/**
 * Two generic passes of the composition root, after a component has built its chart:
 * - `applyPodSettings`: the component's `pods` settings (`src/config/pods.ts`) on every pod template of
 *   its chart. The node selector merges with the stack's (the user's key wins), tolerations and affinity
 *   terms are added after the stack's; labels and annotations go on the pod template only, never on a
 *   selector or a volume claim template (both immutable).
 * - `applyAnnotations`: `common.annotations` on every object and every pod template.
 * Both add nothing when the settings are empty, so a default config's output is untouched.
 */
import { ApiObject, type Chart, JsonPatch } from 'cdk8s';
import type { AffinitySpec, PodSettings } from '../config/pods';

type Json = any;

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function apiObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/** Both required node selector terms hold: every pair of terms joined (terms are ORed, requirements ANDed). */
function andTerms(a: readonly Json[], b: readonly Json[]): Json[] {
  return a.flatMap((x) => b.map((y) => ({
    ...(x.matchExpressions || y.matchExpressions ? { matchExpressions: [...(x.matchExpressions ?? []), ...(y.matchExpressions ?? [])] } : {}),
    ...(x.matchFields || y.matchFields ? { matchFields: [...(x.matchFields ?? []), ...(y.matchFields ?? [])] } : {}),
  })));
}

function concat(a: readonly Json[] | undefined, b: readonly Json[] | undefined): Json[] | undefined {
  return a === undefined && b === undefined ? undefined : [...(a ?? []), ...(b ?? [])];
}

function defined(o: Record<string, unknown>): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const REQUIRED = 'requiredDuringSchedulingIgnoredDuringExecution';
const PREFERRED = 'preferredDuringSchedulingIgnoredDuringExecution';

/** The stack's affinity with the user's terms added (both must hold). */
export function mergeAffinity(stack: Json | undefined, user: AffinitySpec): Json {
  const out: Json = { ...(stack ?? {}) };
  if (user.nodeAffinity !== undefined) {
    const s = stack?.nodeAffinity ?? {};
    const u = JSON.parse(JSON.stringify(user.nodeAffinity));
    const sTerms = s[REQUIRED]?.nodeSelectorTerms;
    const uTerms = u[REQUIRED]?.nodeSelectorTerms;
    out.nodeAffinity = defined({
      [REQUIRED]: sTerms && uTerms ? { nodeSelectorTerms: andTerms(sTerms, uTerms) } : (s[REQUIRED] ?? u[REQUIRED]),
      [PREFERRED]: concat(s[PREFERRED], u[PREFERRED]),
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    if (user[kind] === undefined) continue;
    const s = stack?.[kind] ?? {};
    const u = JSON.parse(JSON.stringify(user[kind]));
    out[kind] = defined({ [REQUIRED]: concat(s[REQUIRED], u[REQUIRED]), [PREFERRED]: concat(s[PREFERRED], u[PREFERRED]) });
  }
  return out;
}

/** The pod template of a workload as JSON, or undefined for an object without one. */
function templateOf(o: ApiObject): Json | undefined {
  return WORKLOADS.has(o.kind) ? (o.toJson() as Json).spec?.template : undefined;
}

/** Applies a component's `pods` settings to every pod template of its chart. */
export function applyPodSettings(chart: Chart, pods: PodSettings): void {
  // Nothing to add (the default): no workload is synthesized to read its template.
  if (!hasPodSettings(pods)) return;
  for (const o of apiObjects(chart)) {
    const tpl = templateOf(o);
    if (tpl === undefined) continue;
    const spec = tpl.spec ?? {};
    if (Object.keys(pods.nodeSelector).length > 0) {
      o.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { ...(spec.nodeSelector ?? {}), ...pods.nodeSelector }));
    }
    if (pods.tolerations.length > 0) {
      o.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', [...(spec.tolerations ?? []), ...JSON.parse(JSON.stringify(pods.tolerations))]));
    }
    if (Object.keys(pods.affinity).length > 0) {
      o.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', mergeAffinity(spec.affinity, pods.affinity)));
    }
    if (Object.keys(pods.labels).length > 0) {
      o.addJsonPatch(JsonPatch.add('/spec/template/metadata/labels', { ...(tpl.metadata?.labels ?? {}), ...pods.labels }));
    }
    if (Object.keys(pods.annotations).length > 0) {
      o.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { ...(tpl.metadata?.annotations ?? {}), ...pods.annotations }));
    }
  }
}

function hasPodSettings(pods: PodSettings): boolean {
  return Object.keys(pods.nodeSelector).length > 0 || pods.tolerations.length > 0 || Object.keys(pods.affinity).length > 0 ||
    Object.keys(pods.labels).length > 0 || Object.keys(pods.annotations).length > 0;
}

/** Adds `annotations` to every object of the chart and to every pod template in it. */
export function applyAnnotations(chart: Chart, annotations: Readonly<Record<string, string>>): void {
  if (Object.keys(annotations).length === 0) return;
  for (const o of apiObjects(chart)) {
    for (const [k, v] of Object.entries(annotations)) o.metadata.addAnnotation(k, v);
    const tpl = templateOf(o);
    if (tpl !== undefined) {
      o.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { ...(tpl.metadata?.annotations ?? {}), ...annotations }));
    }
  }
}
