/**
 * Pod placement and metadata: every pod template carries what the config asks of every component's pods
 * (`<component>.pods`: node selector entries, tolerations, node and pod (anti-)affinity terms, labels and
 * annotations) and `common.annotations`, whichever path built it. The expected settings are given, so the
 * check reads only the objects.
 */
import { isDeepStrictEqual } from 'node:util';
import type { PodSettings } from '../../../src/config/types';
import { type KubeObject, type Problem, objectId, podTemplate, podTemplatePath } from './problem';

const TERM_LISTS = [
  ['nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'],
  ['podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'],
  ['podAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'],
  ['podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'],
  ['podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'],
] as const;

/** Problems of every pod template of `objects` that lacks one of `pods`' settings or `annotations`. */
export function checkPodSettings(objects: readonly KubeObject[], pods: PodSettings, annotations: Readonly<Record<string, string>> = {}): Problem[] {
  const out: Problem[] = [];
  for (const o of objects) {
    const tpl = podTemplate(o);
    if (tpl === undefined || o.kind === 'Pod') continue;
    const base = podTemplatePath(o);
    const p = (path: string, message: string) => out.push({ check: 'placement', object: objectId(o), path: `${base}${path}`, message });
    const spec = tpl.spec ?? {};
    for (const [k, v] of Object.entries(pods.nodeSelector)) if (spec.nodeSelector?.[k] !== v) p('/spec/nodeSelector', `lacks ${k}=${v}`);
    for (const t of pods.tolerations) if (!(spec.tolerations ?? []).some((x: unknown) => isDeepStrictEqual(x, t))) p('/spec/tolerations', `lacks ${JSON.stringify(t)}`);
    const required = pods.affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required !== undefined && !isDeepStrictEqual(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, required)) {
      p('/spec/affinity/nodeAffinity', `requires ${JSON.stringify(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution)}, not ${JSON.stringify(required)}`);
    }
    for (const [kind, list] of TERM_LISTS) {
      const want = (pods.affinity[kind] as Record<string, unknown[] | undefined> | undefined)?.[list] ?? [];
      for (const term of want) {
        if (!(spec.affinity?.[kind]?.[list] ?? []).some((x: unknown) => isDeepStrictEqual(x, term))) p(`/spec/affinity/${kind}/${list}`, `lacks ${JSON.stringify(term)}`);
      }
    }
    for (const [k, v] of Object.entries(pods.labels)) if (tpl.metadata?.labels?.[k] !== v) p('/metadata/labels', `lacks ${k}=${v}`);
    for (const [k, v] of Object.entries({ ...annotations, ...pods.annotations })) if (tpl.metadata?.annotations?.[k] !== v) p('/metadata/annotations', `lacks ${k}=${v}`);
  }
  return out;
}
